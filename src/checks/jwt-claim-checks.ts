import { type Check, type CheckResult, fail, isPlainObject, pass } from './check.js';

/**
 * The `typ` of a JWT access token: "at+jwt", or the full media type (RFC 9068 §2.1).
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.1
 */
export const accessTokenTyp: Check = {
  name: 'access-token-typ',
  description: 'The JWT header "typ" is at+jwt (or application/at+jwt).',
  run(value) {
    if (typeof value !== 'string') return fail('"typ" is missing', { expected: 'at+jwt', actual: value });
    return /^(application\/)?at\+jwt$/i.test(value)
      ? pass
      : fail(`"typ" is "${value}", not "at+jwt"`, { expected: 'at+jwt', actual: value });
  },
};

/**
 * A signing algorithm that is not "none" and, as RFC 9068 §2.1 recommends, asymmetric.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.1
 */
export const asymmetricAlg: Check = {
  name: 'asymmetric-alg',
  description: 'The JWT "alg" is an asymmetric signature algorithm (not none, not HS*).',
  run(value) {
    if (typeof value !== 'string' || value.toLowerCase() === 'none')
      return fail('the token is not signed', { actual: value });
    return /^HS/i.test(value)
      ? fail(`"${value}" is a symmetric MAC; resource servers then share the secret`, { actual: value })
      : pass;
  },
};

/** A NumericDate: seconds since the epoch, as a non-negative number (RFC 7519 §2). */
export const numericDate: Check = {
  name: 'numeric-date',
  description: 'The value is a NumericDate (a non-negative number of seconds).',
  run(value) {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0
      ? pass
      : fail('is not a NumericDate', { actual: value });
  },
};

/**
 * A NumericDate that has passed: the `exp` of a token the suite presents as expired, compared with
 * the server's own clock (its Date header) so that neither clock skew nor timing can make a token
 * that had not expired yet count as a refused expired one.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
 */
export const expiredNow: Check = {
  name: 'expired-now',
  description:
    'The value is a NumericDate that has passed: at args.at (an HTTP date, e.g. the response Date header) or now.',
  run(value, args) {
    if (typeof value !== 'number') return fail('is not a NumericDate', { actual: value });
    const at = typeof args.at === 'string' ? Date.parse(args.at) : Date.now();
    if (Number.isNaN(at)) return fail(`the time to compare with, ${JSON.stringify(args.at)}, is not a date`);
    // a token is expired from the second its exp names (RFC 7519 §4.1.4: "on or after")
    const seconds = Math.floor(at / 1000) - value;
    return seconds >= 0
      ? pass
      : fail(`is ${-seconds} s after the request: the token had not expired yet`, { actual: value });
  },
};

/**
 * `exp` lies after `iat` in a JWT payload (RFC 9068 §2.2).
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.2
 */
export const expiresAfterIssued: Check = {
  name: 'expires-after-issued',
  description: 'The payload has numeric "iat" and "exp" with exp > iat.',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JWT payload', { actual: value });
    const { iat, exp } = value;
    if (typeof iat !== 'number' || typeof exp !== 'number')
      return fail('lacks numeric "iat" and "exp"', { actual: { iat, exp } });
    return exp > iat ? pass : fail(`"exp" (${exp}) is not after "iat" (${iat})`, { actual: { iat, exp } });
  },
};

/**
 * The `aud` claim names the resource exactly. When it does not, the message says which part of the
 * URL differs, as an engineer decoding the token would.
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export const audienceIncludes: Check = {
  name: 'audience-includes',
  description: 'The "aud" claim (a string or an array) contains args.resource exactly.',
  run(value, args) {
    const resource = String(args.resource);
    const audiences = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (!audiences || audiences.length === 0)
      return fail('"aud" is missing', { expected: resource, actual: value });
    if (audiences.includes(resource)) return pass;
    const closest = audiences
      .filter((a): a is string => typeof a === 'string')
      .map((a) => describeUrlDifference(a, resource));
    return fail(`"aud" does not name ${resource}${closest.length ? `: ${closest.join('; ')}` : ''}`, {
      expected: resource,
      actual: value,
    });
  },
};

/**
 * The `aud` claim (or introspected audience) does not name args.resource: a token requested for
 * another resource must not be valid here too.
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export const audienceExcludes: Check = {
  name: 'audience-excludes',
  description: 'The "aud" value (a string or an array) does not contain args.resource.',
  run(value, args) {
    const resource = String(args.resource);
    const audiences = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    return audiences.includes(resource) ? fail(`"aud" names ${resource} too`, { actual: value }) : pass;
  },
};

/** Which of scheme, host, port and path differ between an audience and the expected resource. */
export function describeUrlDifference(actual: string, expected: string): string {
  if (!URL.canParse(actual) || !URL.canParse(expected)) return `"${actual}" is not a URL`;
  const a = new URL(actual);
  const e = new URL(expected);
  const parts: string[] = [];
  if (a.protocol !== e.protocol)
    parts.push(`scheme "${a.protocol.slice(0, -1)}" vs "${e.protocol.slice(0, -1)}"`);
  if (a.hostname !== e.hostname) parts.push(`host "${a.hostname}" vs "${e.hostname}"`);
  if (a.port !== e.port) parts.push(`port "${a.port || 'default'}" vs "${e.port || 'default'}"`);
  if (a.pathname !== e.pathname) parts.push(`path "${a.pathname}" vs "${e.pathname}"`);
  if (a.search !== e.search) parts.push(`query "${a.search}" vs "${e.search}"`);
  if (a.hash !== e.hash) parts.push(`fragment "${a.hash}" vs "${e.hash}"`);
  return parts.length ? `"${actual}" differs in ${parts.join(', ')}` : `"${actual}" differs only in spelling`;
}

/**
 * The key that signed a JWT is published: its header `kid` names a key in the JWK Set (args.jwks).
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export const kidInJwks: Check = {
  name: 'kid-in-jwks',
  description: 'The JWT header "kid" names a key of the JWK Set given as args.jwks.',
  run(value, args) {
    const keys =
      isPlainObject(args.jwks) && Array.isArray(args.jwks.keys)
        ? args.jwks.keys.filter(isPlainObject)
        : undefined;
    if (!keys) return fail('the JWK Set to compare with is not one', { actual: args.jwks });
    if (!isPlainObject(value)) return fail('is not a JWT header', { actual: value });
    if (typeof value.kid !== 'string') {
      return keys.length === 1
        ? pass
        : fail('has no "kid" and the JWK Set holds several keys', { actual: value });
    }
    const kids = keys.map((key) => key.kid);
    return kids.includes(value.kid)
      ? pass
      : fail(`"kid" "${value.kid}" is not in the JWK Set`, { expected: kids, actual: value.kid });
  },
};

/**
 * The value does not contain args.text (e.g. a response must not echo the presented token).
 */
export const doesNotContain: Check = {
  name: 'does-not-contain',
  description: 'The text does not contain args.text.',
  run(value, args): CheckResult {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const needle = String(args.text);
    return needle && text.includes(needle) ? fail('contains the text it must not') : pass;
  },
};
