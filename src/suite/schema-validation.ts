import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { UserInputError, type UserProblem } from '../errors.js';
import { packagePath } from '../package-root.js';
import type { YamlFile } from './yaml-file.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const compiled = new Map<string, ValidateFunction>();

/** The JSON Schemas ship in config/schemas, where users' editors find them too. */
function loadSchema(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(packagePath('config', 'schemas', name), 'utf8')));
    compiled.set(name, validate);
  }
  return validate;
}

/** Validates a parsed YAML file against one of the shipped schemas; throws positioned user errors. */
export function validateAgainstSchema(file: YamlFile, schemaName: string): void {
  const validate = loadSchema(schemaName);
  if (validate(file.value)) return;
  throw new UserInputError(describeSchemaErrors(file, validate.errors ?? []));
}

export function describeSchemaErrors(file: YamlFile, errors: readonly ErrorObject[]): UserProblem[] {
  const problems: UserProblem[] = [];
  const seen = new Set<string>();
  for (const error of mostSpecific(errors)) {
    const path = pointerToPath(error.instancePath);
    let message: string;
    let position = file.locate(path);
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(error.params.additionalProperty);
        message = `unknown key "${key}"`;
        position = file.locate([...path, key], { key: true });
        break;
      }
      case 'required':
        message = `missing required key "${error.params.missingProperty}"${where(path)}`;
        break;
      case 'enum':
        message = `"${lastSegment(path)}" must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'const':
        message = `"${lastSegment(path)}" must be ${JSON.stringify(error.params.allowedValue)}`;
        break;
      case 'type':
        message = `"${lastSegment(path)}" must be of type ${error.params.type}`;
        break;
      case 'pattern':
        message = `"${lastSegment(path)}" does not match the pattern ${error.params.pattern}`;
        break;
      case 'minProperties':
      case 'maxProperties':
        message = `"${lastSegment(path)}" must have exactly one key`;
        break;
      default:
        message = `"${lastSegment(path)}" ${error.message ?? 'is invalid'}`;
    }
    const key = `${position.line}:${position.column}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ message, position });
  }
  return problems.sort(
    (a, b) => a.position!.line - b.position!.line || a.position!.column - b.position!.column,
  );
}

/**
 * A `oneOf` failure reports every branch's complaint plus its own; users only need the branch errors
 * deepest in the document, so errors whose path is a prefix of another error's path are dropped.
 */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject[] {
  const meaningful = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  return meaningful.filter(
    (error) =>
      error.keyword === 'additionalProperties' ||
      error.keyword === 'required' ||
      !meaningful.some((other) => other !== error && other.instancePath.startsWith(`${error.instancePath}/`)),
  );
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function lastSegment(path: readonly (string | number)[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return path.length ? String(path[path.length - 1]) : '(document)';
}

function where(path: readonly (string | number)[]): string {
  return path.length ? ` in "${lastSegment(path)}"` : '';
}
