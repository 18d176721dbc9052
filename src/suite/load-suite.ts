import { Ajv2020 } from 'ajv/dist/2020.js';
import parseJsonPath from 'jsonpath-rfc9535/parser';
import { type SourcePosition, UserInputError, type UserProblem } from '../errors.js';
import { editDistance } from './edit-distance.js';
import type {
  Assertion,
  ClientDocumentSpec,
  HttpRequestSpec,
  Predicate,
  Query,
  Step,
  StepAction,
  Suite,
} from './model.js';
import { validateAgainstSchema } from './schema-validation.js';
import { TEMPLATE_NAME, templateNames } from './template.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

/** What a suite may refer to; anything else is reported as an error where it is written. */
export interface SuiteVocabulary {
  requirementIds: ReadonlySet<string>;
  checkNames: ReadonlySet<string>;
  /** template names a suite may use from the target and discovery namespaces */
  contextNames: ReadonlySet<string>;
  specs: ReadonlySet<string>;
}

const QUERY_KEYS = [
  'status',
  'header',
  'headers',
  'json',
  'body',
  'url',
  'location',
  'capture',
  'challenge',
  'discovery',
  'jwt',
  'fetches',
] as const;
const PREDICATE_KEYS = [
  'equals',
  'notEquals',
  'matches',
  'contains',
  'oneOf',
  'exists',
  'absent',
  'type',
  'count',
  'each',
  'some',
  'schema',
  'check',
] as const;

type Raw = Record<string, unknown>;

/** A complete template, `{{ ... }}`, whatever it holds. */
const ANY_TEMPLATE = /\{\{\s*[^{}]*?\s*\}\}/g;
/** The same options as the engine's `schema` predicate. */
const inlineSchemas = new Ajv2020({ allErrors: false, strict: false });

function forEachString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) forEachString(item, visit);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) forEachString(item, visit);
}

export function loadSuiteFile(path: string, vocabulary: SuiteVocabulary, displayName = path): Suite {
  return buildSuite(readYamlFile(path, displayName), vocabulary);
}

export function buildSuite(file: YamlFile, vocabulary: SuiteVocabulary): Suite {
  validateAgainstSchema(file, 'suite.v1.json');
  const raw = file.value as Raw;
  const problems: UserProblem[] = [];
  const problem = (message: string, path: (string | number)[], key = false) =>
    problems.push({ message, position: file.locate(path, { key }) });

  if (!vocabulary.specs.has(raw.spec as string)) {
    problem(`unknown spec "${raw.spec}" (not in config/spec-links.yaml)`, ['spec']);
  }
  const capturesSoFar = new Set<string>();
  const stepIds = new Set<string>();
  const assertionIds = new Set<string>();

  const checkNames = (value: unknown, path: (string | number)[]) => {
    forEachString(value, (text) => {
      // what is left once every complete template is taken out must hold no half of one
      const rest = text.replace(ANY_TEMPLATE, '');
      if (rest.includes('{{') || rest.includes('}}')) {
        problem(
          `"${rest.includes('{{') ? '{{' : '}}'}" without its other half in ${JSON.stringify(text)}: a template looks like {{ target.mcp.url }}`,
          path,
        );
      }
    });
    for (const name of templateNames(value)) {
      if (!TEMPLATE_NAME.test(name)) {
        problem(
          `template "{{ ${name} }}" is not a lookup (templates name one value, like target.mcp.url)`,
          path,
        );
      } else if (name.startsWith('capture.')) {
        if (!capturesSoFar.has(name.slice('capture.'.length))) {
          problem(`template "{{ ${name} }}" names a capture that no earlier step defines`, path);
        }
      } else if (!vocabulary.contextNames.has(name)) {
        problem(`unknown template name "${name}"${suggestion(name, vocabulary.contextNames)}`, path);
      }
    }
  };
  // the schema has checked each entry's shape; here each must name something that can exist
  const checkNeeds = (needs: unknown, path: (string | number)[], onStep = false) => {
    (needs as string[] | undefined)?.forEach((name, index) => {
      if (name.startsWith('passed.')) {
        const assertion = name.slice('passed.'.length);
        if (!onStep)
          problem(`needs "${name}": only a step can need an earlier assertion to pass`, [...path, index]);
        else if (!assertionIds.has(assertion))
          problem(`needs "${name}", but no earlier step has an assertion "${assertion}"`, [...path, index]);
      } else if (name.startsWith('capture.')) {
        const capture = name.slice('capture.'.length);
        if (!capturesSoFar.has(capture))
          problem(`needs "${name}", but no earlier step captures "${capture}"`, [...path, index]);
      } else if (!vocabulary.contextNames.has(name)) {
        problem(`needs "${name}", an unknown value name${suggestion(name, vocabulary.contextNames)}`, [
          ...path,
          index,
        ]);
      }
    });
  };

  const checkDocuments = (documents: unknown, path: (string | number)[]) => {
    (documents as Raw[] | undefined)?.forEach((document, index) => {
      if ('json' in document && 'body' in document)
        problem('a document has one body: choose json or body', [...path, index, 'body'], true);
      checkNames(document, [...path, index]);
    });
  };
  checkNeeds(raw.needs, ['needs']);
  checkDocuments(raw.documents, ['documents']);
  const steps: Step[] = (raw.steps as Raw[]).map((rawStep, stepIndex) => {
    const stepPath = ['steps', stepIndex];
    const id = rawStep.id as string;
    if (stepIds.has(id)) problem(`duplicate step id "${id}"`, [...stepPath, 'id']);
    stepIds.add(id);
    checkNeeds(rawStep.needs, [...stepPath, 'needs'], true);
    const kind = (['request', 'token', 'mcp', 'register', 'authorize', 'revoke_consent'] as const).find(
      (key) => key in rawStep,
    )!;
    checkNames(rawStep[kind], [...stepPath, kind]);
    checkDocuments(rawStep.documents, [...stepPath, 'documents']);
    let action: StepAction;
    if (kind === 'request') {
      const request = rawStep.request as HttpRequestSpec;
      const bodies = ['json', 'form', 'body'].filter((key) => key in request);
      if (bodies.length > 1) {
        problem(
          `a request has one body: choose one of ${bodies.join(', ')}`,
          [...stepPath, 'request', bodies[1]!],
          true,
        );
      }
      if (request.client_auth && (request.json !== undefined || request.body !== undefined)) {
        problem(
          'client_auth sends a form body: use "form", not "json" or "body"',
          [...stepPath, 'request', 'client_auth'],
          true,
        );
      }
      action = { kind, spec: { ...request, method: request.method ?? 'GET' } };
    } else {
      action = { kind, spec: rawStep[kind] } as StepAction;
    }
    const capture: Record<string, Query> = {};
    for (const [name, rawQuery] of Object.entries(
      (rawStep.capture as Record<string, Raw> | undefined) ?? {},
    )) {
      const query = toQuery(
        rawQuery,
        (m) => problem(m, [...stepPath, 'capture', name]),
        capturesSoFar,
        vocabulary.contextNames,
      );
      if (query) capture[name] = query;
      capturesSoFar.add(name);
    }
    const expect = ((rawStep.expect as Raw[] | undefined) ?? []).map((rawAssertion, index) =>
      toAssertion(rawAssertion, [...stepPath, 'expect', index]),
    );
    return {
      id,
      ...(rawStep.title ? { title: rawStep.title as string } : {}),
      needs: (rawStep.needs as string[] | undefined) ?? [],
      ...(typeof rawStep.delay_ms === 'number' ? { delay_ms: rawStep.delay_ms } : {}),
      action,
      documents: (rawStep.documents as ClientDocumentSpec[] | undefined) ?? [],
      capture,
      expect: expect.filter((a): a is Assertion => a !== undefined),
      position: file.locate(stepPath),
    };
  });

  function toAssertion(rawAssertion: Raw, path: (string | number)[]): Assertion | undefined {
    const id = rawAssertion.id as string;
    if (assertionIds.has(id)) problem(`duplicate assertion id "${id}"`, [...path, 'id']);
    assertionIds.add(id);
    checkNeeds(rawAssertion.needs, [...path, 'needs']);
    (rawAssertion.requirements as string[]).forEach((requirement, index) => {
      if (!vocabulary.requirementIds.has(requirement)) {
        problem(`unknown requirement id "${requirement}" (not in suites/requirements.yaml)`, [
          ...path,
          'requirements',
          index,
        ]);
      }
    });
    const queryKeys = QUERY_KEYS.filter((key) => key in rawAssertion);
    const predicateKeys = PREDICATE_KEYS.filter((key) => key in rawAssertion);
    const statusShorthand = typeof rawAssertion.status === 'number' || Array.isArray(rawAssertion.status);
    if (queryKeys.length !== 1) {
      problem(
        queryKeys.length === 0
          ? `assertion "${id}" has no query: add one of ${QUERY_KEYS.join(', ')}`
          : `assertion "${id}" has ${queryKeys.length} queries (${queryKeys.join(', ')}): one assertion reads one value`,
        path,
      );
      return undefined;
    }
    if (statusShorthand ? predicateKeys.length !== 0 : predicateKeys.length !== 1) {
      problem(
        statusShorthand
          ? `"status: ${JSON.stringify(rawAssertion.status)}" already says what to expect; remove "${predicateKeys[0]}"`
          : predicateKeys.length === 0
            ? `assertion "${id}" has no predicate: add one of ${PREDICATE_KEYS.join(', ')}`
            : `assertion "${id}" has ${predicateKeys.length} predicates (${predicateKeys.join(', ')}): split it into one assertion per predicate`,
        path,
      );
      return undefined;
    }
    const queryKey = queryKeys[0]!;
    if (queryKey === 'fetches') checkNames(rawAssertion.fetches, [...path, 'fetches']);
    const query = toQuery(
      { [queryKey]: rawAssertion[queryKey] },
      (m) => problem(m, [...path, queryKey]),
      capturesSoFar,
      vocabulary.contextNames,
    );
    let predicate: Predicate | undefined;
    if (statusShorthand) {
      predicate = Array.isArray(rawAssertion.status)
        ? { kind: 'oneOf', values: rawAssertion.status }
        : { kind: 'equals', value: rawAssertion.status };
    } else {
      const key = predicateKeys[0]!;
      checkNames(rawAssertion[key], [...path, key]);
      predicate = toPredicate(key, rawAssertion[key], (m) => problem(m, [...path, key]));
    }
    if (!query || !predicate) return undefined;
    return {
      id,
      ...(rawAssertion.title ? { title: rawAssertion.title as string } : {}),
      requirements: rawAssertion.requirements as string[],
      severity: rawAssertion.severity as Assertion['severity'],
      gate: rawAssertion.gate === true,
      needs: (rawAssertion.needs as string[] | undefined) ?? [],
      hint: rawAssertion.hint as string,
      query,
      predicate,
      position: file.locate(path),
    };
  }

  function toPredicate(
    key: string,
    value: unknown,
    report: (message: string) => void,
  ): Predicate | undefined {
    switch (key) {
      case 'equals':
      case 'notEquals':
      case 'contains':
        return { kind: key, value };
      case 'oneOf':
        return { kind: 'oneOf', values: value as unknown[] };
      case 'matches':
        try {
          // a template stands for literal text: check the expression around it
          new RegExp((value as string).replace(ANY_TEMPLATE, 'x'), 'u');
        } catch (error) {
          report(
            `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`,
          );
        }
        return { kind: 'matches', pattern: value as string };
      case 'exists':
      case 'absent':
        return { kind: key };
      case 'type':
        return { kind: 'type', type: value as never };
      case 'count':
        return typeof value === 'number'
          ? { kind: 'count', min: value, max: value }
          : { kind: 'count', ...(value as { min?: number; max?: number }) };
      case 'each':
      case 'some': {
        const [innerKey, innerValue] = Object.entries(value as Raw)[0]!;
        const inner = toPredicate(innerKey, innerValue, report);
        return inner && { kind: key, inner };
      }
      case 'schema':
        try {
          // compiled now, as the engine will, so that a broken schema is an error here, not at run time
          inlineSchemas.compile(value as Record<string, unknown>);
        } catch (error) {
          // "schema is invalid: data/type must be ..., data/type must be ...": the first complaint
          const first = firstSentence((error as Error).message)
            .replace(/^schema is invalid: /, '')
            .split(', ')[0]!;
          report(
            `invalid JSON Schema: ${first.replace(/^data(\S*) /, (_, at: string) => `${at || '(root)'}: `)}`,
          );
        }
        return { kind: 'schema', schema: value as Record<string, unknown> };
      case 'check': {
        const name = typeof value === 'string' ? value : ((value as Raw).name as string);
        if (!vocabulary.checkNames.has(name)) report(`unknown check "${name}"`);
        return {
          kind: 'check',
          name,
          args: typeof value === 'string' ? {} : (((value as Raw).args as Raw) ?? {}),
        };
      }
      default:
        return undefined;
    }
  }

  if (problems.length > 0) throw new UserInputError(problems);
  return {
    id: raw.id as string,
    title: raw.title as string,
    spec: raw.spec as string,
    ...(raw.description ? { description: raw.description as string } : {}),
    needs: (raw.needs as string[] | undefined) ?? [],
    documents: (raw.documents as ClientDocumentSpec[] | undefined) ?? [],
    steps,
    file: file.file,
    position: file.locate([]),
  };
}

function toQuery(
  raw: Raw,
  report: (message: string) => void,
  captures: ReadonlySet<string>,
  contextNames: ReadonlySet<string>,
): Query | undefined {
  const [key, value] = Object.entries(raw)[0]!;
  switch (key) {
    case 'status':
      return { kind: 'status' };
    case 'body':
      return { kind: 'body' };
    case 'url':
      return { kind: 'url' };
    case 'location': {
      if (value === true) return { kind: 'location' };
      const text = value as string;
      return text.startsWith('#')
        ? { kind: 'location', param: text.slice(1), in: 'fragment' }
        : { kind: 'location', param: text };
    }
    case 'header':
      return { kind: 'header', name: value as string };
    case 'headers':
      return { kind: 'headers' };
    case 'capture':
      if (!captures.has(value as string)) report(`no earlier capture is named "${value}"`);
      return { kind: 'capture', name: value as string };
    case 'jwt': {
      const { capture, path } = value as { capture: string; path?: string };
      if (!captures.has(capture)) report(`no earlier capture is named "${capture}"`);
      if (path) {
        try {
          parseJsonPath(path);
        } catch (error) {
          report(`invalid JSONPath ${JSON.stringify(path)}: ${firstSentence((error as Error).message)}`);
        }
      }
      return path ? { kind: 'jwt', capture, path } : { kind: 'jwt', capture };
    }
    case 'discovery':
      if (!contextNames.has(`discovery.${value}`)) report(`unknown discovery value "${value}"`);
      return { kind: 'discovery', name: value as string };
    case 'challenge': {
      const [scheme, param] = (value as string).split('.');
      return param ? { kind: 'challenge', scheme: scheme!, param } : { kind: 'challenge', scheme: scheme! };
    }
    case 'fetches':
      return { kind: 'fetches', url: value as string };
    case 'json':
      try {
        parseJsonPath(value as string);
      } catch (error) {
        report(`invalid JSONPath ${JSON.stringify(value)}: ${firstSentence((error as Error).message)}`);
      }
      return { kind: 'json', path: value as string };
    default:
      return undefined;
  }
}

/** ` (did you mean "x"?)` when a known name is a likely fix for a typo, otherwise nothing. */
function suggestion(name: string, known: ReadonlySet<string>): string {
  const lastSegment = name.slice(name.lastIndexOf('.') + 1);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(lastSegment.length / 3));
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // a name cut short ("discovery.prm" for "discovery.prm_url")
  best ??= [...known]
    .filter((candidate) => candidate.startsWith(name))
    .sort((a, b) => a.length - b.length)[0];
  return best ? ` (did you mean "${best}"?)` : '';
}

function firstSentence(message: string): string {
  return message.split('\n')[0]!;
}

export type { SourcePosition };
