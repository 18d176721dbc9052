import { type Check, fail, isPlainObject, pass } from './check.js';

/** `error` and `error_description` characters: %x20-21 / %x23-5B / %x5D-7E (no `"` and no `\`). */
const ERROR_TEXT = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;
/** `error_uri` characters: %x21 / %x23-5B / %x5D-7E (as above, without the space). */
const ERROR_URI = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * An OAuth error response body: a JSON object whose `error` is a non-empty code, with optional
 * `error_description` and `error_uri`, each within the characters the framework allows.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-3.2.4
 */
export const oauthErrorResponse: Check = {
  name: 'oauth-error-response',
  description:
    'The body is a JSON object with a string "error" and optional string "error_description" and "error_uri", all in the allowed characters.',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    const { error, error_description: description, error_uri: uri } = value;
    if (typeof error !== 'string' || error === '') return fail('has no string "error"', { actual: error });
    if (!ERROR_TEXT.test(error))
      return fail('"error" has characters outside %x20-21 / %x23-5B / %x5D-7E', { actual: error });
    if (description !== undefined && (typeof description !== 'string' || !ERROR_TEXT.test(description))) {
      return fail('"error_description" is not a string in %x20-21 / %x23-5B / %x5D-7E', {
        actual: description,
      });
    }
    if (uri !== undefined && (typeof uri !== 'string' || !ERROR_URI.test(uri) || !URL.canParse(uri))) {
      return fail('"error_uri" is not an absolute URI in %x21 / %x23-5B / %x5D-7E', { actual: uri });
    }
    return pass;
  },
};

/**
 * An authorization error response in a redirect URL: an `error` parameter in its query (OAuth 2.1) or,
 * when the query has none, in its fragment (where RFC 6749 §4.2.2.1 puts errors of implicit-style
 * requests), in the allowed characters and, when `args.error` names one or several codes, one of them.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-4.1.2.1
 */
export const authorizationError: Check = {
  name: 'authorization-error',
  description:
    'The URL carries an "error" parameter in its query or fragment, one of args.error when that is given.',
  run(value, args) {
    if (typeof value !== 'string' || !URL.canParse(value))
      return fail('is not an absolute URL', { actual: value });
    const url = new URL(value);
    const errors = url.searchParams.has('error')
      ? url.searchParams.getAll('error')
      : new URLSearchParams(url.hash.slice(1)).getAll('error');
    if (errors.length === 0)
      return fail('has no "error" parameter in its query or fragment', { actual: value });
    if (errors.length > 1) return fail('has more than one "error" parameter', { actual: errors });
    const error = errors[0]!;
    if (!ERROR_TEXT.test(error))
      return fail('"error" has characters outside %x20-21 / %x23-5B / %x5D-7E', { actual: error });
    const codes = args.error === undefined ? [] : [args.error].flat();
    if (codes.length > 0 && !codes.includes(error)) {
      return fail(`"error" is ${JSON.stringify(error)}, not the expected code`, {
        expected: codes.length === 1 ? codes[0] : { oneOf: codes },
        actual: error,
      });
    }
    return pass;
  },
};

/**
 * An authorization response URL that carries `iss` comes from a server whose metadata (`args.metadata`,
 * the whole document) says `authorization_response_iss_parameter_supported: true`; a URL without
 * `iss` passes (whether `iss` must be sent is a different assertion).
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-3
 */
export const issAdvertisedWhenSent: Check = {
  name: 'iss-advertised-when-sent',
  description:
    'If the URL has an "iss" parameter, args.metadata has authorization_response_iss_parameter_supported: true.',
  run(value, args) {
    if (typeof value !== 'string' || !URL.canParse(value))
      return fail('is not an absolute URL', { actual: value });
    if (!isPlainObject(args.metadata)) return fail('the metadata to compare with is not a JSON object');
    const url = new URL(value);
    const sent = url.searchParams.has('iss') || new URLSearchParams(url.hash.slice(1)).has('iss');
    const flag = args.metadata.authorization_response_iss_parameter_supported;
    if (sent && flag !== true) {
      return fail(
        'carries "iss" but the metadata does not advertise authorization_response_iss_parameter_supported',
        {
          expected: true,
          actual: flag,
        },
      );
    }
    return pass;
  },
};

/**
 * When the body is a JSON object with an `error` member, that error is one of `args.codes`; an empty or
 * non-error body passes. For answers that may be a success without a body or one specific error, such
 * as a revocation of a token type the server cannot revoke.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1
 */
export const errorCodeWhenError: Check = {
  name: 'error-code-when-error',
  description: 'If the body is a JSON object with "error", the error is one of args.codes.',
  run(value, args) {
    const codes = Array.isArray(args.codes) ? args.codes : [];
    if (typeof value !== 'string' || value.trim() === '') return pass;
    let body: unknown;
    try {
      body = JSON.parse(value);
    } catch {
      return pass;
    }
    if (!isPlainObject(body) || body.error === undefined) return pass;
    return codes.includes(body.error)
      ? pass
      : fail(`"error" is ${JSON.stringify(body.error)}, not one of the expected codes`, {
          expected: { oneOf: codes },
          actual: body.error,
        });
  },
};

const STRING_MEMBERS = ['scope', 'client_id', 'username', 'token_type', 'sub', 'iss', 'jti'];
const TIME_MEMBERS = ['exp', 'iat', 'nbf'];

/**
 * An introspection response whose members have their registered types: boolean `active`; strings for
 * `scope`, `client_id`, `username`, `token_type`, `sub`, `iss` and `jti`; integer seconds for `exp`,
 * `iat` and `nbf`; `aud` a string or an array of strings.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export const introspectionMemberTypes: Check = {
  name: 'introspection-member-types',
  description:
    'Every RFC 7662 member present has its defined type (active boolean, times integers, aud string or string array).',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    if (typeof value.active !== 'boolean') return fail('"active" is not a boolean', { actual: value.active });
    for (const name of STRING_MEMBERS) {
      if (value[name] !== undefined && typeof value[name] !== 'string') {
        return fail(`"${name}" is not a string`, { expected: 'string', actual: value[name] });
      }
    }
    for (const name of TIME_MEMBERS) {
      if (value[name] !== undefined && !Number.isInteger(value[name])) {
        return fail(`"${name}" is not an integer number of seconds`, {
          expected: 'integer',
          actual: value[name],
        });
      }
    }
    const { aud } = value;
    const audienceOk =
      aud === undefined ||
      typeof aud === 'string' ||
      (Array.isArray(aud) && aud.every((item) => typeof item === 'string'));
    return audienceOk ? pass : fail('"aud" is neither a string nor an array of strings', { actual: aud });
  },
};

/**
 * A token response does not grant `args.scope`: it is an error, or its `scope` leaves that scope out.
 * A success without `scope` grants exactly what was requested, `args.scope` included, since a server
 * that grants less must say so.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-1.4.1
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-3.2.3
 */
export const scopeNotGranted: Check = {
  name: 'scope-not-granted',
  description:
    'The token response is an error, or its "scope" lacks args.scope (a success without "scope" grants what was requested).',
  run(value, args) {
    const scope = String(args.scope ?? '');
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    if (typeof value.error === 'string') return pass;
    if (typeof value.access_token !== 'string')
      return fail('is neither an error nor a token response', { actual: Object.keys(value) });
    if (typeof value.scope !== 'string') {
      return fail(`grants "${scope}": the token response has no "scope", so it grants what was requested`, {
        expected: `an error, or a "scope" without "${scope}"`,
        actual: 'no "scope"',
      });
    }
    return value.scope.split(' ').includes(scope)
      ? fail(`grants "${scope}"`, { expected: `a "scope" without "${scope}"`, actual: value.scope })
      : pass;
  },
};

/**
 * A space-delimited scope string holds every scope of `args.scope` (itself space-delimited).
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-1.4.1
 */
export const scopeIncludes: Check = {
  name: 'scope-includes',
  description: 'The value is a space-delimited scope string holding every scope of args.scope.',
  run(value, args) {
    const wanted = String(args.scope ?? '')
      .split(' ')
      .filter(Boolean);
    if (typeof value !== 'string')
      return fail('is not a scope string', { expected: wanted.join(' '), actual: value });
    const granted = value.split(' ');
    const absent = wanted.filter((scope) => !granted.includes(scope));
    return absent.length === 0
      ? pass
      : fail(`lacks ${absent.map((scope) => `"${scope}"`).join(', ')}`, {
          expected: wanted.join(' '),
          actual: value,
        });
  },
};

/** A page of a server, modulo per-request identifiers: origin and path, long random segments as `*`. */
function pageOf(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{16,}$/.test(segment) && /\d/.test(segment) ? '*' : segment))
    .join('/');
  return `${url.origin}${path}`;
}

function locationOf(headers: unknown): string | undefined {
  if (!isPlainObject(headers)) return undefined;
  const location = headers.location;
  return typeof location === 'string' ? location : undefined;
}

/**
 * The answer to an authorization request that must not be accepted (an unknown client, a redirect URI
 * that was not registered) does not carry the user onward: no redirect at all, or a redirect to a page
 * of the server's own that a valid request does not lead to (its error page). It fails on a redirect to
 * another origin (the redirect URI the request names) and on a redirect to the page where the valid
 * request of `args.accepted` (that answer's headers) went: its login or consent page, so the request
 * was accepted and its code would follow.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-4.1.2.1
 */
export const notRedirectedOnward: Check = {
  name: 'not-redirected-onward',
  description:
    "No redirect, or one to a page of the server's own other than where a valid request goes (args.accepted: that answer's headers; args.endpoint: the authorization endpoint).",
  run(value, args) {
    const location = locationOf(value);
    if (location === undefined) return pass;
    const endpoint = String(args.endpoint ?? '');
    const target = URL.parse(location, endpoint);
    if (!target) return fail('redirects to a Location that is not a URL', { actual: location });
    const acceptedLocation = locationOf(args.accepted);
    const accepted = acceptedLocation === undefined ? undefined : URL.parse(acceptedLocation, endpoint);
    const ownOrigins = new Set([URL.parse(endpoint)?.origin, accepted?.origin]);
    if (!ownOrigins.has(target.origin)) {
      return fail(`redirects to ${target.origin}, away from the authorization server`, {
        expected: 'no redirect, or an error page of the authorization server',
        actual: location,
      });
    }
    if (accepted && pageOf(accepted) === pageOf(target)) {
      return fail(
        'redirects where a valid request goes (its login or consent page): the request was accepted',
        {
          expected: `not ${pageOf(accepted)}`,
          actual: location,
        },
      );
    }
    return pass;
  },
};
