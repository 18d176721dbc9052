import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { UserInputError, type UserProblem } from '../errors.js';
import { packagePath } from '../package-root.js';
import type { YamlFile } from './yaml-file.js';

// verbose: errors carry the schema that failed, so alternatives (oneOf/anyOf) can be named
const ajv = new Ajv2020({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  verbose: true,
});
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

/**
 * What the schemas' patterns mean, in words: a user who wrote a secret into a target file needs to
 * hear "use ${env:NAME}", not a regular expression.
 */
const PATTERN_MEANINGS: Record<string, string> = {
  '^\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}$':
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the target-file syntax, not a template
    'must be an environment reference such as ${env:NAME}, never the secret itself',
  '^https?://': 'must be an absolute http(s) URL',
  '^https?://[^/?#\\s]+$': 'must be an origin, scheme://host[:port] without a path',
  '^[a-z0-9][a-z0-9-]*$': 'must be an id of lower-case letters, digits and "-"',
  '^[a-z0-9][a-z0-9.-]*$': 'must be an id of lower-case letters, digits, "." and "-"',
  '^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$': 'must be a qualified assertion id, "suite-id/assertion-id"',
  '^(target|discovery|capture|secret|cimd|passed)(\\.[A-Za-z0-9_-]+)+$':
    'must name a value, such as target.mcp.url, discovery.prm_url or capture.NAME',
  '^\\$': 'must be a JSONPath, starting with "$"',
  '^[a-z0-9_]+$': 'must be a discovery name of lower-case letters, digits and "_"',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'must be a name of letters, digits and "_", not starting with a digit',
};

export function describeSchemaErrors(file: YamlFile, errors: readonly ErrorObject[]): UserProblem[] {
  const problems: UserProblem[] = [];
  const seen = new Set<string>();
  const add = (problem: UserProblem) => {
    const key = `${problem.position!.line}:${problem.position!.column}:${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  const { explained, rest } = explainAlternatives(file, errors);
  for (const problem of explained) add(problem);
  for (const error of mostSpecific(rest)) {
    const path = pointerToPath(error.instancePath);
    const name = `"${lastSegment(path)}"`;
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
        message = `${name} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'const':
        message = `${name} must be ${JSON.stringify(error.params.allowedValue)}`;
        break;
      case 'type':
        message = `${name} must be of type ${error.params.type}`;
        break;
      case 'pattern': {
        const pattern = String(error.params.pattern);
        const meaning = PATTERN_MEANINGS[pattern] ?? `does not match the pattern ${pattern}`;
        if (error.propertyName !== undefined) {
          // a key that breaks `propertyNames`: point at the key itself
          message = `key "${error.propertyName}" in ${name} ${meaning}`;
          position = file.locate([...path, error.propertyName], { key: true });
        } else {
          message = `${name} ${meaning}`;
        }
        break;
      }
      case 'minProperties':
      case 'maxProperties':
        message = `${name} must have exactly one key`;
        break;
      default:
        message = `${name} ${error.message ?? 'is invalid'}`;
    }
    add({ message, position });
  }
  if (problems.length === 0 && errors.length > 0) {
    // never an error without a problem to show: that would pass as valid
    const first = errors[0]!;
    const path = pointerToPath(first.instancePath);
    add({ message: `"${lastSegment(path)}" ${first.message ?? 'is invalid'}`, position: file.locate(path) });
  }
  return problems.sort(
    (a, b) => a.position!.line - b.position!.line || a.position!.column - b.position!.column,
  );
}

/**
 * A `oneOf`/`anyOf` whose branches each require one key ("a step has one of request, token, mcp,
 * register"; "a target names an issuer or an MCP server") is explained as one problem: which keys
 * are missing, or which ones clash. Its branch errors are consumed; the others are returned.
 */
function explainAlternatives(
  file: YamlFile,
  errors: readonly ErrorObject[],
): { explained: UserProblem[]; rest: ErrorObject[] } {
  const explained: UserProblem[] = [];
  const consumed = new Set<ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') continue;
    const keys = requiredKeyPerBranch(error.schema);
    if (!keys) {
      const merged = mergeShapeAlternatives(file, error, errors);
      if (merged) {
        explained.push(merged.problem);
        for (const other of merged.consumed) consumed.add(other);
      }
      continue;
    }
    consumed.add(error);
    for (const other of errors) {
      if (other.instancePath === error.instancePath && other.schemaPath.startsWith(`${error.schemaPath}/`))
        consumed.add(other);
    }
    const path = pointerToPath(error.instancePath);
    const quoted = keys.map((key) => `"${key}"`).join(', ');
    const passing = (error.params as { passingSchemas?: number[] | null }).passingSchemas;
    if (Array.isArray(passing)) {
      const present = keys.filter((_, index) => passing.includes(index));
      explained.push({
        message: `${present.map((key) => `"${key}"`).join(' and ')} cannot be used together: give exactly one of ${quoted}`,
        position: file.locate([...path, present[1] ?? present[0]!], { key: true }),
      });
    } else {
      explained.push({
        message: `missing one of the keys ${quoted}${where(path)}`,
        position: file.locate(path),
      });
    }
  }
  return { explained, rest: errors.filter((error) => !consumed.has(error)) };
}

/**
 * A value that fits none of the shapes a `oneOf`/`anyOf` allows, each branch only objecting to its
 * type or constant ("status" is true, an integer or a list of integers): one problem naming them all.
 */
function mergeShapeAlternatives(
  file: YamlFile,
  error: ErrorObject,
  errors: readonly ErrorObject[],
): { problem: UserProblem; consumed: ErrorObject[] } | undefined {
  if (Array.isArray((error.params as { passingSchemas?: unknown }).passingSchemas)) return undefined;
  const branches = errors.filter((other) => other.schemaPath.startsWith(`${error.schemaPath}/`));
  const shapes: string[] = [];
  for (const branch of branches) {
    if (branch.instancePath !== error.instancePath) return undefined;
    if (branch.keyword === 'type') shapes.push(`of type ${branch.params.type}`);
    else if (branch.keyword === 'const') shapes.push(JSON.stringify(branch.params.allowedValue));
    else if (branch.keyword === 'enum')
      shapes.push(...(branch.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)));
    else return undefined;
  }
  if (shapes.length < 2) return undefined;
  const path = pointerToPath(error.instancePath);
  const list = `${shapes.slice(0, -1).join(', ')} or ${shapes[shapes.length - 1]}`;
  return {
    problem: { message: `"${lastSegment(path)}" must be ${list}`, position: file.locate(path) },
    consumed: [error, ...branches],
  };
}

/** ["request", "token", ...] when every branch is exactly `{ required: [one key] }`. */
function requiredKeyPerBranch(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches) || branches.length < 2) return undefined;
  const keys: string[] = [];
  for (const branch of branches as unknown[]) {
    const { required, ...others } = (branch ?? {}) as { required?: unknown };
    if (Object.keys(others).length || !Array.isArray(required) || required.length !== 1) return undefined;
    keys.push(String(required[0]));
  }
  return keys;
}

/**
 * A `oneOf` failure reports every branch's complaint plus its own; users only need the branch errors
 * deepest in the document, so errors whose path is a prefix of another error's path are dropped. At
 * one path, a branch that accepted the value's type explains the failure better than the branches
 * that wanted another type ("count" must be >= 0, not also "must be of type object").
 */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject[] {
  const meaningful = errors.filter(
    (e) =>
      e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if' && e.keyword !== 'propertyNames',
  );
  return meaningful.filter(
    (error) =>
      (error.keyword === 'additionalProperties' ||
        error.keyword === 'required' ||
        !meaningful.some(
          (other) => other !== error && other.instancePath.startsWith(`${error.instancePath}/`),
        )) &&
      !(
        error.keyword === 'type' &&
        meaningful.some(
          (other) => other.instancePath === error.instancePath && TYPE_SPECIFIC.has(other.keyword),
        )
      ),
  );
}

/** Keywords that only complain about a value of the type they apply to. */
const TYPE_SPECIFIC = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'additionalProperties',
]);

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
