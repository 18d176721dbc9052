import { findChallenge, parseWwwAuthenticate } from '../engine/www-authenticate.js';
import { type Check, type CheckResult, fail, pass } from './check.js';

function withHeader(value: unknown, body: (header: string) => CheckResult): CheckResult {
  if (typeof value !== 'string') return fail('WWW-Authenticate is missing', { actual: value });
  return body(value);
}

/**
 * The field value parses as RFC 9110 challenges.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */
export const challengeWellFormed: Check = {
  name: 'challenge-well-formed',
  description: 'WWW-Authenticate parses as a list of challenges without syntax errors.',
  run: (value) =>
    withHeader(value, (header) => {
      const { challenges, problems } = parseWwwAuthenticate(header);
      if (problems.length) return fail(`is malformed: ${problems[0]}`, { actual: header });
      return challenges.length ? pass : fail('holds no challenge', { actual: header });
    }),
};

/**
 * A Bearer challenge that carries at least one auth-param (RFC 6750 §3: a bare "Bearer" is not enough).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export const bearerChallengeWithParams: Check = {
  name: 'bearer-challenge-with-params',
  description: 'WWW-Authenticate has a Bearer challenge with at least one auth-param.',
  run: (value) =>
    withHeader(value, (header) => {
      const bearer = findChallenge(parseWwwAuthenticate(header), 'Bearer');
      if (!bearer) return fail('has no Bearer challenge', { actual: header });
      return bearer.params.length
        ? pass
        : fail('has a Bearer challenge without parameters', { actual: header });
    }),
};

const SINGLE_USE_ATTRIBUTES = ['realm', 'scope', 'error', 'error_description', 'error_uri'];

/**
 * realm, scope, error, error_description and error_uri appear at most once per challenge.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export const challengeNoDuplicateAttributes: Check = {
  name: 'challenge-no-duplicate-attributes',
  description: 'No Bearer challenge repeats realm, scope, error, error_description or error_uri.',
  run: (value) =>
    withHeader(value, (header) => {
      for (const challenge of parseWwwAuthenticate(header).challenges) {
        if (challenge.scheme.toLowerCase() !== 'bearer') continue;
        const names = challenge.params.map((p) => p.name.toLowerCase());
        const repeated = SINGLE_USE_ATTRIBUTES.find((name) => names.filter((n) => n === name).length > 1);
        if (repeated) return fail(`repeats the "${repeated}" attribute`, { actual: header });
      }
      return pass;
    }),
};

// RFC 6750 §3: error and error_description use %x20-21 / %x23-5B / %x5D-7E; scope tokens %x21 / %x23-5B / %x5D-7E.
const ERROR_TEXT = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

/**
 * Attribute values stay within RFC 6750 §3's character sets, error_uri is a URI reference and scope
 * is a space-delimited list of scope tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export const challengeAttributeSyntax: Check = {
  name: 'challenge-attribute-syntax',
  description: 'Bearer challenge attributes use the characters RFC 6750 allows.',
  run: (value) =>
    withHeader(value, (header) => {
      for (const challenge of parseWwwAuthenticate(header).challenges) {
        if (challenge.scheme.toLowerCase() !== 'bearer') continue;
        for (const { name, value: text } of challenge.params) {
          const lower = name.toLowerCase();
          if ((lower === 'error' || lower === 'error_description') && !ERROR_TEXT.test(text)) {
            return fail(`"${name}" has characters outside the allowed set`, { actual: text });
          }
          if (lower === 'scope' && !SCOPE.test(text)) {
            return fail('"scope" is not a space-delimited list of scope tokens', { actual: text });
          }
          if (
            lower === 'error_uri' &&
            (/[\s"\\<>]/.test(text) || !URL.canParse(text, 'https://base.invalid/'))
          ) {
            return fail('"error_uri" is not a URI reference', { actual: text });
          }
        }
      }
      return pass;
    }),
};

/** A space-delimited list of scope tokens (RFC 6749 §3.3). */
export const scopeTokens: Check = {
  name: 'scope-tokens',
  description: 'The value is a space-delimited list of scope tokens.',
  run(value) {
    if (typeof value !== 'string') return fail('is not a string', { actual: value });
    return SCOPE.test(value)
      ? pass
      : fail('is not a space-delimited list of scope tokens', { actual: value });
  },
};

/**
 * A step-up challenge's `acr_values` (a space-separated list, in order of preference) names every
 * value the target declares its resource requires.
 * @see https://www.rfc-editor.org/rfc/rfc9470#section-3
 */
export const acrValuesInclude: Check = {
  name: 'acr-values-include',
  description: 'The value is a space-separated list that contains every one of args.values.',
  run(value, args) {
    const wanted = typeof args.values === 'string' ? args.values.split(' ').filter(Boolean) : [];
    if (typeof value !== 'string') return fail('is not a string', { actual: value });
    const listed = value.split(' ');
    if (listed.some((entry) => entry === '')) {
      return fail('is not a list separated by single spaces', { actual: value });
    }
    const missing = wanted.filter((entry) => !listed.includes(entry));
    return missing.length
      ? fail(`does not list ${missing.map((entry) => `"${entry}"`).join(', ')}`, {
          expected: args.values,
          actual: value,
        })
      : pass;
  },
};
