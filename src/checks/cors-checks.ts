/**
 * CORS checks. Each reads all of a response's headers (the `headers` query, names lower-cased): what a
 * browser may do with a response depends on several CORS headers together, above all on whether
 * `Access-Control-Allow-Credentials: true` turns the `*` wildcards into literal names.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import { type Check, type CheckResult, fail, isPlainObject, pass } from './check.js';

type Headers = Record<string, unknown>;

function withHeaders(value: unknown, body: (headers: Headers) => CheckResult): CheckResult {
  if (!isPlainObject(value)) return fail('is not a set of response headers', { actual: value });
  return body(value);
}

function text(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The names of a comma-separated header list, lower-cased (header names are case-insensitive). */
export function headerNameList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/**
 * Whether the response lets credentialed requests read it: Fetch compares the value with `true`
 * byte for byte.
 * @see https://fetch.spec.whatwg.org/#http-access-control-allow-credentials
 */
function allowsCredentials(headers: Headers): boolean {
  return text(headers, 'access-control-allow-credentials') === 'true';
}

function namesArg(args: Record<string, unknown>, key: string): string[] {
  const names = args[key];
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    throw new TypeError(`check argument "${key}" must be a list of header names`);
  }
  return names;
}

/**
 * `Access-Control-Expose-Headers` lets scripts read each named response header. `*` exposes every header
 * only to requests without credentials, so it does not count next to `Access-Control-Allow-Credentials:
 * true`. With `only_if_sent`, only the named headers the response carries must be exposed.
 * @see https://fetch.spec.whatwg.org/#http-access-control-expose-headers
 */
export const corsExposesHeaders: Check = {
  name: 'cors-exposes-headers',
  description:
    'Access-Control-Expose-Headers names each of the given headers (or is "*" on a response without credentials).',
  run: (value, args) =>
    withHeaders(value, (headers) => {
      const wanted = namesArg(args, 'headers').filter(
        (name) => args.only_if_sent !== true || headers[name.toLowerCase()] !== undefined,
      );
      const exposeHeader = text(headers, 'access-control-expose-headers');
      const exposed = headerNameList(exposeHeader);
      const wildcard = exposed.includes('*') && !allowsCredentials(headers);
      const hidden = wanted.filter((name) => !wildcard && !exposed.includes(name.toLowerCase()));
      if (hidden.length === 0) return pass;
      return fail(
        exposeHeader === undefined
          ? `has no Access-Control-Expose-Headers, so scripts cannot read ${quoteAll(hidden)}`
          : `Access-Control-Expose-Headers does not expose ${quoteAll(hidden)}${
              exposed.includes('*') ? ' ("*" is literal on a response that allows credentials)' : ''
            }`,
        { expected: wanted, actual: exposeHeader ?? null },
      );
    }),
};

/**
 * A preflight response's `Access-Control-Allow-Headers` allows each named request header. `*` counts only
 * on a response without credentials, and never for `Authorization`, which must be listed by name.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
 * @see https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
 */
export const corsAllowsRequestHeaders: Check = {
  name: 'cors-allows-request-headers',
  description:
    'Access-Control-Allow-Headers names each of the given request headers ("*" covers all but Authorization, without credentials).',
  run: (value, args) =>
    withHeaders(value, (headers) => {
      const wanted = namesArg(args, 'headers');
      const allowHeader = text(headers, 'access-control-allow-headers');
      const allowed = headerNameList(allowHeader);
      const wildcard = allowed.includes('*') && !allowsCredentials(headers);
      const refused = wanted.filter((name) => {
        const lower = name.toLowerCase();
        return !allowed.includes(lower) && !(wildcard && lower !== 'authorization');
      });
      if (refused.length === 0) return pass;
      return fail(
        allowHeader === undefined
          ? `has no Access-Control-Allow-Headers, so browsers refuse to send ${quoteAll(refused)}`
          : `Access-Control-Allow-Headers does not allow ${quoteAll(refused)}`,
        { expected: wanted, actual: allowHeader ?? null },
      );
    }),
};

/**
 * `Access-Control-Allow-Origin: *` is never paired with `Access-Control-Allow-Credentials: true`: browsers
 * refuse a credentialed response with the wildcard, so the pair means a policy that does not do what it
 * says.
 * @see https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
 */
export const corsNoWildcardWithCredentials: Check = {
  name: 'cors-no-wildcard-with-credentials',
  description: 'Access-Control-Allow-Origin "*" does not come with Access-Control-Allow-Credentials "true".',
  run: (value) =>
    withHeaders(value, (headers) => {
      const origin = text(headers, 'access-control-allow-origin');
      if (origin?.trim() !== '*' || !allowsCredentials(headers)) return pass;
      return fail('pairs Access-Control-Allow-Origin "*" with Access-Control-Allow-Credentials "true"', {
        expected: 'a specific origin when credentials are allowed',
        actual: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' },
      });
    }),
};

/**
 * A response that names a specific origin in `Access-Control-Allow-Origin` says `Vary: Origin`, so a shared
 * cache does not hand it to a page of another origin.
 * @see https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
 */
export const corsSpecificOriginVaries: Check = {
  name: 'cors-specific-origin-varies',
  description: 'A response whose Access-Control-Allow-Origin names an origin has Vary: Origin.',
  run: (value) =>
    withHeaders(value, (headers) => {
      const origin = text(headers, 'access-control-allow-origin')?.trim();
      if (origin === undefined || origin === '*') return pass;
      const vary = headerNameList(text(headers, 'vary'));
      if (vary.includes('origin') || vary.includes('*')) return pass;
      return fail(`names the origin "${origin}" without Vary: Origin`, {
        expected: 'Vary: Origin',
        actual: text(headers, 'vary') ?? null,
      });
    }),
};

function quoteAll(names: string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}
