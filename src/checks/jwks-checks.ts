import { type Check, fail, isPlainObject, pass } from './check.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * A JWK Set: an object whose `keys` member is an array of objects that each carry `kty` (RFC 7517 §5).
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export const jwkSet: Check = {
  name: 'jwk-set',
  description: 'The document is a JWK Set: an object with a "keys" array of keys that each have "kty".',
  run(value) {
    if (!isPlainObject(value)) return fail('is not a JSON object', { actual: value });
    if (!Array.isArray(value.keys)) return fail('has no "keys" array', { actual: Object.keys(value) });
    const index = value.keys.findIndex((key) => !isPlainObject(key) || typeof key.kty !== 'string');
    return index === -1 ? pass : fail(`key ${index} has no "kty"`, { actual: value.keys[index] });
  },
};

/**
 * A published JWK Set holds public keys only: no private members and no symmetric keys.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const jwksNoPrivateKeys: Check = {
  name: 'jwks-no-private-keys',
  description: 'No key in the set has private members (d, p, q, dp, dq, qi, oth, k) or kty "oct".',
  run(value) {
    if (!isPlainObject(value) || !Array.isArray(value.keys))
      return fail('is not a JWK Set', { actual: value });
    for (const [index, key] of value.keys.entries()) {
      if (!isPlainObject(key)) continue;
      const leaked = PRIVATE_MEMBERS.filter((member) => member in key);
      if (leaked.length) {
        return fail(
          `key ${index}${key.kid ? ` ("${key.kid}")` : ''} has private members ${leaked.join(', ')}`,
          {
            actual: leaked,
          },
        );
      }
      if (key.kty === 'oct') return fail(`key ${index} is a symmetric key (kty "oct")`, { actual: key.kty });
    }
    return pass;
  },
};

/**
 * When a set mixes signing and encryption keys, every key says which it is with `use`.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const jwksUseWhenMixed: Check = {
  name: 'jwks-use-when-mixed',
  description: 'If any key has use "enc", every key has a "use" member.',
  run(value) {
    if (!isPlainObject(value) || !Array.isArray(value.keys))
      return fail('is not a JWK Set', { actual: value });
    const keys = value.keys.filter(isPlainObject);
    if (!keys.some((key) => key.use === 'enc')) return pass;
    const index = keys.findIndex((key) => typeof key.use !== 'string');
    return index === -1 ? pass : fail(`key ${index} has no "use" although the set holds encryption keys`);
  },
};
