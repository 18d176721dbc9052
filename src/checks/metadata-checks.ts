import { type Check, fail, isPlainObject, pass } from './check.js';

/**
 * Zero-valued members are left out: no member may be an empty array (RFC 8414 §3.2, RFC 9728 §3.2).
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.2
 */
export const noEmptyArrays: Check = {
  name: 'no-empty-arrays',
  description:
    'No top-level member of the object is an empty array (args.allow lists members where [] has a meaning).',
  run(value, args) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    const allowed = Array.isArray(args.allow) ? (args.allow as unknown[]) : [];
    const empty = Object.keys(value).filter(
      (key) => Array.isArray(value[key]) && (value[key] as unknown[]).length === 0 && !allowed.includes(key),
    );
    return empty.length
      ? fail(`has empty arrays: ${empty.map((k) => `"${k}"`).join(', ')}`, { actual: empty })
      : pass;
  },
};

/**
 * The media type of a Content-Type value, parameters ignored, compared case-insensitively.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.3.1
 */
export const mediaType: Check = {
  name: 'media-type',
  description: 'The Content-Type names the expected media type (parameters allowed).',
  run(value, args) {
    const expected = String(args.type ?? 'application/json').toLowerCase();
    if (typeof value !== 'string') return fail('Content-Type is missing', { expected, actual: value });
    const actual = value.split(';')[0]!.trim().toLowerCase();
    return actual === expected ? pass : fail(`is "${actual}", not "${expected}"`, { expected, actual });
  },
};

const JWT_AUTH_METHODS = ['private_key_jwt', 'client_secret_jwt'];
const ENDPOINTS = ['token_endpoint', 'revocation_endpoint', 'introspection_endpoint'];

/**
 * When an endpoint accepts JWT client authentication, the matching
 * `*_auth_signing_alg_values_supported` is present and never lists `none` (RFC 8414 §2).
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export const jwtAuthSigningAlgs: Check = {
  name: 'jwt-auth-signing-algs',
  description:
    'Each endpoint that accepts JWT client authentication lists its signing algorithms, without "none".',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    for (const endpoint of ENDPOINTS) {
      const methods = value[`${endpoint}_auth_methods_supported`];
      const algs = value[`${endpoint}_auth_signing_alg_values_supported`];
      if (Array.isArray(algs) && algs.includes('none')) {
        return fail(`"${endpoint}_auth_signing_alg_values_supported" lists "none"`, { actual: algs });
      }
      const usesJwt = Array.isArray(methods) && methods.some((m) => JWT_AUTH_METHODS.includes(m as string));
      if (usesJwt && !Array.isArray(algs)) {
        return fail(
          `"${endpoint}_auth_methods_supported" offers JWT authentication without "${endpoint}_auth_signing_alg_values_supported"`,
          {
            actual: methods,
          },
        );
      }
    }
    return pass;
  },
};

/** An array of strings with at least one element. */
export const nonEmptyStringArray: Check = {
  name: 'non-empty-string-array',
  description: 'The value is an array of one or more strings.',
  run(value) {
    if (!Array.isArray(value)) return fail('is not an array', { actual: value });
    if (value.length === 0) return fail('is an empty array', { actual: value });
    const wrong = value.find((item) => typeof item !== 'string');
    return wrong === undefined ? pass : fail('has a member that is not a string', { actual: wrong });
  },
};

/**
 * An authorization server that fetched a client ID metadata document (the value: one request the suite's
 * document host received) supports client ID metadata documents, so its metadata (`args.metadata`, the
 * whole document) must say `client_id_metadata_document_supported: true`.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-5
 */
export const clientDocumentSupportAdvertised: Check = {
  name: 'client-document-support-advertised',
  description:
    'A client ID metadata document was fetched, so args.metadata has client_id_metadata_document_supported: true.',
  run(value, args) {
    if (!isPlainObject(value) || typeof value.url !== 'string')
      return fail('is not a request the document host received', { actual: value });
    if (!isPlainObject(args.metadata)) return fail('the metadata to compare with is not a JSON object');
    const flag = args.metadata.client_id_metadata_document_supported;
    if (flag === true) return pass;
    return fail(
      `fetched ${value.url} although the metadata does not advertise client_id_metadata_document_supported`,
      { expected: true, actual: flag ?? null },
    );
  },
};
