import { Ajv2020 } from 'ajv/dist/2020.js';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { query as jsonPathQuery } from 'jsonpath-rfc9535';
import { checks } from '../checks/index.js';
import type { Predicate, Query } from '../suite/model.js';
import type { DocumentFetch } from './document-host.js';
import type { ResponseView } from './exchange.js';
import { headerText } from './http-client.js';
import { responseJson } from './response-json.js';
import { findChallenge, paramValues, parseWwwAuthenticate } from './www-authenticate.js';

/** What a query read: one value, several JSONPath nodes, or nothing (with the reason). */
export type QueryResult =
  | { found: true; value: unknown; nodes?: undefined }
  | { found: true; value?: undefined; nodes: unknown[] }
  | {
      found: false;
      why: string /** the document could not be read at all, so no claim about it holds */;
      unreadable?: true;
    };

export interface QueryInput {
  response?: ResponseView;
  captures: Readonly<Record<string, unknown>>;
  discovery?: { values: Readonly<Record<string, string>>; missing: Readonly<Record<string, string>> };
  /** what the client document host received during the step, when the suite uses it */
  fetches?: readonly DocumentFetch[];
}

/** A predicate's verdict; `message` says what differed, `expected`/`actual` carry the data. */
export interface PredicateResult {
  ok: boolean;
  message: string;
  expected?: unknown;
  actual?: unknown;
}

export function describeQuery(query: Query): string {
  switch (query.kind) {
    case 'status':
      return 'status';
    case 'header':
      return `header "${query.name}"`;
    case 'headers':
      return 'headers';
    case 'json':
      return query.path;
    case 'body':
      return 'body';
    case 'url':
      return 'URL';
    case 'location':
      return query.param
        ? `Location ${query.in === 'fragment' ? 'fragment' : 'query'} parameter "${query.param}"`
        : 'Location';
    case 'capture':
      return `capture "${query.name}"`;
    case 'challenge':
      return query.param
        ? `${query.scheme} challenge parameter "${query.param}"`
        : `${query.scheme} challenge`;
    case 'discovery':
      return `discovered ${query.name}`;
    case 'jwt':
      return `JWT "${query.capture}"${query.path ? ` ${query.path}` : ''}`;
    case 'fetches':
      return `fetches of ${query.url}`;
  }
}

export function runQuery(query: Query, input: QueryInput): QueryResult {
  if (query.kind === 'capture') {
    return query.name in input.captures
      ? { found: true, value: input.captures[query.name] }
      : { found: false, why: `nothing was captured as "${query.name}"` };
  }
  if (query.kind === 'jwt') {
    if (!(query.capture in input.captures))
      return { found: false, why: `nothing was captured as "${query.capture}"` };
    const decoded = decodeJwtParts(input.captures[query.capture]);
    if (!decoded) return { found: false, why: `capture "${query.capture}" is not a JWT` };
    return query.path
      ? { found: true, nodes: jsonPathQuery(decoded as never, query.path) }
      : { found: true, value: decoded };
  }
  if (query.kind === 'fetches') {
    if (!input.fetches) return { found: false, why: 'the step ran without the client document host' };
    const wanted = query.url.split('?')[0];
    return {
      found: true,
      nodes: input.fetches
        .filter((fetch) => fetch.url.split('?')[0] === wanted)
        .map((fetch) => ({ method: fetch.method, url: fetch.url, status: fetch.response.status })),
    };
  }
  if (query.kind === 'discovery') {
    const value = input.discovery?.values[query.name];
    return value !== undefined
      ? { found: true, value }
      : { found: false, why: input.discovery?.missing[query.name] ?? 'not discovered' };
  }
  const response = input.response;
  if (!response) return { found: false, why: 'there is no response' };
  switch (query.kind) {
    case 'status':
      return { found: true, value: response.status };
    case 'url':
      return { found: true, value: response.url };
    case 'body':
      return { found: true, value: response.bodyText };
    case 'location':
      return readLocation(response, query.param, query.in ?? 'query');
    case 'header': {
      const value = headerText(response.headers[query.name.toLowerCase()]);
      return value === undefined ? { found: false, why: `no ${query.name} header` } : { found: true, value };
    }
    case 'headers':
      return {
        found: true,
        value: Object.fromEntries(
          Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), headerText(value)]),
        ),
      };
    case 'challenge': {
      const header = headerText(response.headers['www-authenticate']);
      if (header === undefined) return { found: false, why: 'no WWW-Authenticate header' };
      const challenge = findChallenge(parseWwwAuthenticate(header), query.scheme);
      if (!challenge) return { found: false, why: `no ${query.scheme} challenge in WWW-Authenticate` };
      if (!query.param) return { found: true, value: challenge };
      const values = paramValues(challenge, query.param);
      return values.length === 0
        ? { found: false, why: `the ${query.scheme} challenge has no "${query.param}" parameter` }
        : { found: true, value: values[0] };
    }
    case 'json': {
      const document = responseJson(response);
      if (!document.ok) return { found: false, why: document.why, unreadable: true };
      return { found: true, nodes: jsonPathQuery(document.value as never, query.path) };
    }
  }
}

/**
 * The Location header of a redirect: as sent when it is an absolute URL (so its exact spelling can be
 * judged), otherwise resolved against the request URL; or the form-decoded values of one parameter of
 * its query or fragment (the two places an authorization response carries its parameters).
 */
function readLocation(
  response: ResponseView,
  param: string | undefined,
  part: 'query' | 'fragment',
): QueryResult {
  const location = headerText(response.headers.location);
  if (location === undefined)
    return { found: false, why: 'no Location header (the response is no redirect)' };
  const absolute = URL.parse(location) ?? URL.parse(location, response.url);
  if (!absolute) return { found: false, why: `the Location header ${JSON.stringify(location)} is not a URL` };
  if (param === undefined) return { found: true, value: URL.canParse(location) ? location : absolute.href };
  const parameters = part === 'query' ? absolute.searchParams : new URLSearchParams(absolute.hash.slice(1));
  const values = parameters.getAll(param);
  if (values.length === 0) return { found: false, why: `the Location ${part} has no "${param}" parameter` };
  return values.length === 1 ? { found: true, value: values[0] } : { found: true, nodes: values };
}

const ajv = new Ajv2020({ allErrors: false, strict: false });

export function evaluatePredicate(predicate: Predicate, result: QueryResult): PredicateResult {
  // "absent" or "no nodes" cannot be claimed of a document that could not be read
  if (!result.found && result.unreadable)
    return verdict(false, `cannot be read (${result.why})`, expectedOf(predicate));
  if (predicate.kind === 'count') {
    const count = result.found ? (result.nodes ? result.nodes.length : 1) : 0;
    const ok =
      (predicate.min === undefined || count >= predicate.min) &&
      (predicate.max === undefined || count <= predicate.max);
    const expected =
      predicate.min === predicate.max ? predicate.min : { min: predicate.min, max: predicate.max };
    return verdict(ok, `matched ${count} time(s)`, expected, count);
  }
  if (predicate.kind === 'each' || predicate.kind === 'some') {
    if (!result.found) return verdict(false, `has no value (${result.why})`);
    const items = result.nodes ?? (Array.isArray(result.value) ? result.value : [result.value]);
    const failures = items
      .map((item, index) => ({
        index,
        result: evaluatePredicate(predicate.inner, { found: true, value: item }),
      }))
      .filter((entry) => !entry.result.ok);
    if (predicate.kind === 'each') {
      const first = failures[0];
      return first
        ? verdict(
            false,
            `item ${first.index}: ${first.result.message}`,
            first.result.expected,
            first.result.actual,
          )
        : verdict(true, `all ${items.length} item(s) pass`);
    }
    return failures.length < items.length || items.length === 0
      ? verdict(items.length > 0, items.length === 0 ? 'has no items' : 'an item passes')
      : verdict(false, `no item passes (first: ${failures[0]!.result.message})`, undefined, items);
  }
  // every other predicate reads exactly one value
  let value: unknown;
  if (result.found && result.nodes) {
    if (result.nodes.length > 1) {
      return verdict(
        false,
        `matched ${result.nodes.length} nodes; use each, some or count for several`,
        1,
        result.nodes.length,
      );
    }
    if (result.nodes.length === 1) value = result.nodes[0];
  } else if (result.found) {
    value = result.value;
  }
  const present = result.found && (!result.nodes || result.nodes.length === 1);
  if (predicate.kind === 'absent')
    return verdict(!present, present ? 'is present' : 'is absent', 'absent', value);
  if (predicate.kind === 'exists')
    return verdict(present, present ? 'is present' : absentReason(result), 'present');
  if (!present) return verdict(false, absentReason(result), expectedOf(predicate));

  switch (predicate.kind) {
    case 'equals':
      return verdict(
        deepEqual(value, predicate.value),
        'does not equal the expected value',
        predicate.value,
        value,
      );
    case 'notEquals':
      return verdict(
        !deepEqual(value, predicate.value),
        'equals a value it must not',
        { not: predicate.value },
        value,
      );
    case 'oneOf':
      return verdict(
        predicate.values.some((candidate) => deepEqual(value, candidate)),
        'is not one of the expected values',
        { oneOf: predicate.values },
        value,
      );
    case 'matches':
      if (typeof value !== 'string' && typeof value !== 'number') {
        return verdict(false, 'is not a string', { matches: predicate.pattern }, value);
      }
      return verdict(
        new RegExp(predicate.pattern, 'u').test(String(value)),
        `does not match /${predicate.pattern}/`,
        { matches: predicate.pattern },
        value,
      );
    case 'contains':
      if (typeof value === 'string') {
        return verdict(
          value.includes(String(predicate.value)),
          'does not contain the expected text',
          { contains: predicate.value },
          value,
        );
      }
      if (Array.isArray(value)) {
        return verdict(
          value.some((item) => deepEqual(item, predicate.value)),
          'does not contain the expected item',
          { contains: predicate.value },
          value,
        );
      }
      return verdict(false, 'is neither a string nor an array', { contains: predicate.value }, value);
    case 'type': {
      const actual = jsonType(value);
      const ok = actual === predicate.type || (predicate.type === 'number' && actual === 'integer');
      return verdict(ok, `is of type ${actual}, not ${predicate.type}`, { type: predicate.type }, actual);
    }
    case 'schema': {
      const validate = ajv.compile(predicate.schema);
      const ok = validate(value);
      const error = validate.errors?.[0];
      return verdict(
        ok,
        error ? `does not satisfy the schema: ${error.instancePath || '(value)'} ${error.message}` : '',
        undefined,
        value,
      );
    }
    case 'check': {
      const check = checks.get(predicate.name);
      if (!check) throw new Error(`unknown check "${predicate.name}"`);
      const outcome = check.run(value, predicate.args);
      return outcome.ok
        ? verdict(true, `passes ${predicate.name}`)
        : verdict(false, outcome.message, outcome.expected, 'actual' in outcome ? outcome.actual : value);
    }
  }
}

function verdict(ok: boolean, message: string, expected?: unknown, actual?: unknown): PredicateResult {
  if (ok) return { ok, message: 'passed' };
  return {
    ok,
    message,
    ...(expected !== undefined ? { expected } : {}),
    ...(actual !== undefined ? { actual } : {}),
  };
}

function absentReason(result: QueryResult): string {
  if (!result.found) return `is absent (${result.why})`;
  return 'is absent (the JSONPath matched nothing)';
}

function expectedOf(predicate: Predicate): unknown {
  switch (predicate.kind) {
    case 'equals':
    case 'contains':
      return predicate.value;
    case 'oneOf':
      return { oneOf: predicate.values };
    case 'matches':
      return { matches: predicate.pattern };
    case 'type':
      return { type: predicate.type };
    default:
      return undefined;
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a as object);
  const keysB = Object.keys(b as object);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** The header and payload of a compact JWS, decoded without verification; undefined if it is none. */
export function decodeJwtParts(value: unknown): { header: unknown; payload: unknown } | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return { header: decodeProtectedHeader(value), payload: decodeJwt(value) };
  } catch {
    return undefined;
  }
}
