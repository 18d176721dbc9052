import { type Check, fail, isPlainObject, pass } from './check.js';

/**
 * The Cache-Control field carries the `no-store` directive (directive names are case-insensitive).
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export const cacheControlNoStore: Check = {
  name: 'cache-control-no-store',
  description: 'The Cache-Control header holds the "no-store" directive.',
  run(value) {
    if (typeof value !== 'string') return fail('Cache-Control is missing', { expected: 'no-store' });
    const directives = value.split(',').map((directive) => directive.split('=')[0]!.trim().toLowerCase());
    return directives.includes('no-store')
      ? pass
      : fail(`"${value}" has no "no-store" directive`, { expected: 'no-store', actual: value });
  },
};

/**
 * A registration response that issues a `client_secret` also states `client_secret_expires_at`, a
 * non-negative integer (0: the secret never expires).
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 */
export const clientSecretExpiry: Check = {
  name: 'client-secret-expiry',
  description:
    'When the object holds a "client_secret", it also holds an integer "client_secret_expires_at" >= 0.',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    if (value.client_secret === undefined) return pass;
    const expiresAt = value.client_secret_expires_at;
    if (expiresAt === undefined)
      return fail('issues "client_secret" without "client_secret_expires_at"', { expected: 'an integer' });
    return Number.isInteger(expiresAt) && (expiresAt as number) >= 0
      ? pass
      : fail('"client_secret_expires_at" is not a non-negative integer', { actual: expiresAt });
  },
};

/** Methods that authenticate with the client secret (RFC 7591 §2, OpenID Connect Core §9). */
const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);

/**
 * A secret is issued exactly when the effective `token_endpoint_auth_method` needs one; an echo without
 * the method means the RFC 7591 default, `client_secret_basic`.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export const clientSecretForAuthMethod: Check = {
  name: 'client-secret-for-auth-method',
  description:
    'A "client_secret" is present when "token_endpoint_auth_method" (default client_secret_basic) uses one, and absent for "none".',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    const method = value.token_endpoint_auth_method ?? 'client_secret_basic';
    const hasSecret = typeof value.client_secret === 'string' && value.client_secret !== '';
    if (typeof method !== 'string')
      return fail('"token_endpoint_auth_method" is not a string', { actual: method });
    if (SECRET_METHODS.has(method) && !hasSecret) {
      return fail(`"token_endpoint_auth_method" is "${method}" but no "client_secret" was issued`, {
        expected: 'a client_secret',
        actual: method,
      });
    }
    if (method === 'none' && value.client_secret !== undefined) {
      return fail('"token_endpoint_auth_method" is "none" but a "client_secret" was issued', {
        actual: method,
      });
    }
    return pass;
  },
};

/**
 * RFC 7592 client management: `registration_client_uri` and `registration_access_token` come together
 * or not at all.
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-3
 */
export const registrationManagementFields: Check = {
  name: 'registration-management-fields',
  description:
    '"registration_client_uri" and "registration_access_token" are both present (as strings) or both absent.',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    const present = ['registration_client_uri', 'registration_access_token'].filter(
      (name) => value[name] !== undefined,
    );
    if (present.length === 1) return fail(`has "${present[0]}" without its counterpart`, { actual: present });
    for (const name of present) {
      if (typeof value[name] !== 'string' || value[name] === '')
        return fail(`"${name}" is not a non-empty string`, { actual: typeof value[name] });
    }
    return pass;
  },
};

function listOr(value: unknown, fallback: string[]): unknown[] {
  return Array.isArray(value) ? value : fallback;
}

/**
 * For grant and response types that do not fit together the AS either refuses with
 * `invalid_client_metadata` or corrects them; a registered client's echo must then be consistent:
 * response type "code" goes with the "authorization_code" grant and the reverse (RFC 7591 defaults
 * apply to a member left out).
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2.1
 */
export const grantResponseTypesConsistent: Check = {
  name: 'grant-response-types-consistent',
  description:
    'Either an "invalid_client_metadata" error, or a client whose "response_types" contain "code" exactly when its "grant_types" contain "authorization_code".',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    if (value.error !== undefined) {
      return value.error === 'invalid_client_metadata'
        ? pass
        : fail(`is refused with "${String(value.error)}", not "invalid_client_metadata"`, {
            expected: 'invalid_client_metadata',
            actual: value.error,
          });
    }
    const grantTypes = listOr(value.grant_types, ['authorization_code']);
    const responseTypes = listOr(value.response_types, ['code']);
    const codeGrant = grantTypes.includes('authorization_code');
    const codeResponse = responseTypes.includes('code');
    if (codeGrant === codeResponse) return pass;
    return fail(
      codeResponse
        ? 'has response type "code" without the "authorization_code" grant'
        : 'has the "authorization_code" grant without response type "code"',
      { actual: { grant_types: grantTypes, response_types: responseTypes } },
    );
  },
};

/** RFC 7591 error codes: one ASCII string, printable, no spaces. */
const REGISTRATION_ERROR_CODE = /^[\x21-\x7E]+$/;
/** RFC 7591 error descriptions: ASCII text for humans, so line breaks and tabs are allowed. */
const REGISTRATION_ERROR_TEXT = /^[\t\n\r\x20-\x7E]*$/;

/**
 * A registration error body: a JSON object with an ASCII `error` code and, optionally, a human-readable
 * ASCII `error_description`. RFC 7591 defines these itself; the narrower character set of RFC 6749 §5.2
 * is not part of that definition.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2
 */
export const registrationErrorResponse: Check = {
  name: 'registration-error-response',
  description:
    'The body is a JSON object with an ASCII "error" code and an optional ASCII "error_description".',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    const { error, error_description: description } = value;
    if (typeof error !== 'string' || !REGISTRATION_ERROR_CODE.test(error))
      return fail('has no ASCII "error" code', { actual: error });
    if (
      description !== undefined &&
      (typeof description !== 'string' || !REGISTRATION_ERROR_TEXT.test(description))
    )
      return fail('"error_description" is not ASCII text', { actual: description });
    return pass;
  },
};
