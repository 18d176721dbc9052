import { describe, expect, it } from 'vitest';
import {
  authorizationError,
  errorCodeWhenError,
  introspectionMemberTypes,
  issAdvertisedWhenSent,
  notRedirectedOnward,
  oauthErrorResponse,
  scopeIncludes,
  scopeNotGranted,
} from '../../src/checks/oauth-response-checks.js';

describe('oauth-error-response', () => {
  it('accepts an error code alone and with a description and an error URI', () => {
    expect(oauthErrorResponse.run({ error: 'invalid_request' }, {})).toEqual({ ok: true });
    expect(
      oauthErrorResponse.run(
        {
          error: 'invalid_client',
          error_description: 'client authentication failed',
          error_uri: 'https://as.example.com/errors#invalid_client',
        },
        {},
      ),
    ).toEqual({ ok: true });
  });
  it('rejects a body that is not an object, and an object without a string error', () => {
    expect(oauthErrorResponse.run('<html>', {})).toEqual({
      ok: false,
      message: 'is not a JSON object',
      actual: '<html>',
    });
    expect(oauthErrorResponse.run({ message: 'bad' }, {})).toEqual({
      ok: false,
      message: 'has no string "error"',
    });
    expect(oauthErrorResponse.run({ error: 400 }, {})).toEqual({
      ok: false,
      message: 'has no string "error"',
      actual: 400,
    });
  });
  it('rejects characters outside the allowed sets', () => {
    expect(oauthErrorResponse.run({ error: 'bad"code' }, {})).toEqual({
      ok: false,
      message: '"error" has characters outside %x20-21 / %x23-5B / %x5D-7E',
      actual: 'bad"code',
    });
    expect(oauthErrorResponse.run({ error: 'x', error_description: 'a\\b' }, {})).toEqual({
      ok: false,
      message: '"error_description" is not a string in %x20-21 / %x23-5B / %x5D-7E',
      actual: 'a\\b',
    });
    expect(oauthErrorResponse.run({ error: 'x', error_uri: 'not a uri' }, {})).toEqual({
      ok: false,
      message: '"error_uri" is not an absolute URI in %x21 / %x23-5B / %x5D-7E',
      actual: 'not a uri',
    });
  });
});

describe('error-code-when-error', () => {
  const args = { codes: ['unsupported_token_type'] };
  it('accepts an empty body, a body that is no JSON error, and an expected code', () => {
    expect(errorCodeWhenError.run('', args)).toEqual({ ok: true });
    expect(errorCodeWhenError.run('revoked', args)).toEqual({ ok: true });
    expect(errorCodeWhenError.run('{}', args)).toEqual({ ok: true });
    expect(errorCodeWhenError.run('{"error":"unsupported_token_type"}', args)).toEqual({ ok: true });
  });
  it('rejects another error code', () => {
    expect(errorCodeWhenError.run('{"error":"invalid_request"}', args)).toEqual({
      ok: false,
      message: '"error" is "invalid_request", not one of the expected codes',
      expected: { oneOf: ['unsupported_token_type'] },
      actual: 'invalid_request',
    });
  });
});

describe('introspection-member-types', () => {
  it('accepts an inactive answer and an active one with every member typed as defined', () => {
    expect(introspectionMemberTypes.run({ active: false }, {})).toEqual({ ok: true });
    expect(
      introspectionMemberTypes.run(
        {
          active: true,
          scope: 'mcp:tools',
          client_id: 'c',
          username: 'u',
          token_type: 'Bearer',
          sub: 's',
          iss: 'https://as.example.com',
          jti: 'j',
          exp: 1_800_000_000,
          iat: 1_799_996_400,
          nbf: 1_799_996_400,
          aud: ['https://mcp.example.com/mcp'],
        },
        {},
      ),
    ).toEqual({ ok: true });
    expect(introspectionMemberTypes.run({ active: true, aud: 'https://mcp.example.com/mcp' }, {})).toEqual({
      ok: true,
    });
  });
  it('rejects a missing or non-boolean active', () => {
    expect(introspectionMemberTypes.run({ active: 'true' }, {})).toEqual({
      ok: false,
      message: '"active" is not a boolean',
      actual: 'true',
    });
    expect(introspectionMemberTypes.run([], {})).toMatchObject({
      ok: false,
      message: 'is not a JSON object',
    });
  });
  it('rejects members of the wrong type', () => {
    expect(introspectionMemberTypes.run({ active: true, scope: ['a', 'b'] }, {})).toEqual({
      ok: false,
      message: '"scope" is not a string',
      expected: 'string',
      actual: ['a', 'b'],
    });
    expect(introspectionMemberTypes.run({ active: true, exp: '1800000000' }, {})).toEqual({
      ok: false,
      message: '"exp" is not an integer number of seconds',
      expected: 'integer',
      actual: '1800000000',
    });
    expect(introspectionMemberTypes.run({ active: true, iat: 1.5 }, {})).toMatchObject({
      ok: false,
      message: '"iat" is not an integer number of seconds',
    });
    expect(introspectionMemberTypes.run({ active: true, aud: ['a', 1] }, {})).toEqual({
      ok: false,
      message: '"aud" is neither a string nor an array of strings',
      actual: ['a', 1],
    });
  });
});

describe('authorization-error', () => {
  it('accepts an error in the query, or in the fragment when the query has none', () => {
    expect(authorizationError.run('https://c.example/cb?error=invalid_request&state=s', {})).toEqual({
      ok: true,
    });
    expect(
      authorizationError.run('https://c.example/cb#error=unsupported_response_type', {
        error: 'unsupported_response_type',
      }),
    ).toEqual({ ok: true });
    expect(
      authorizationError.run('https://c.example/cb?error=invalid_request', {
        error: ['invalid_request', 'unsupported_response_type'],
      }),
    ).toEqual({ ok: true });
  });
  it('rejects a URL without an error, with another code, or with two', () => {
    expect(authorizationError.run('https://c.example/cb?code=abc', {})).toEqual({
      ok: false,
      message: 'has no "error" parameter in its query or fragment',
      actual: 'https://c.example/cb?code=abc',
    });
    expect(
      authorizationError.run('https://c.example/cb?error=access_denied', { error: 'invalid_request' }),
    ).toEqual({
      ok: false,
      message: '"error" is "access_denied", not the expected code',
      expected: 'invalid_request',
      actual: 'access_denied',
    });
    expect(authorizationError.run('https://c.example/cb?error=a&error=b', {})).toEqual({
      ok: false,
      message: 'has more than one "error" parameter',
      actual: ['a', 'b'],
    });
  });
  it('rejects characters outside the allowed set and values that are no absolute URL', () => {
    expect(authorizationError.run('https://c.example/cb?error=bad%22code', {})).toMatchObject({
      ok: false,
      message: '"error" has characters outside %x20-21 / %x23-5B / %x5D-7E',
    });
    expect(authorizationError.run('/cb?error=x', {})).toEqual({
      ok: false,
      message: 'is not an absolute URL',
      actual: '/cb?error=x',
    });
  });
});

describe('iss-advertised-when-sent', () => {
  const advertised = { metadata: { authorization_response_iss_parameter_supported: true } };
  const silent = { metadata: { issuer: 'https://as.example' } };
  it('accepts iss with the flag, and any URL without iss', () => {
    expect(
      issAdvertisedWhenSent.run('https://c.example/cb?error=x&iss=https%3A%2F%2Fas.example', advertised),
    ).toEqual({
      ok: true,
    });
    expect(issAdvertisedWhenSent.run('https://c.example/cb?error=x', silent)).toEqual({ ok: true });
  });
  it('rejects iss (in the query or the fragment) without the flag set to true', () => {
    expect(
      issAdvertisedWhenSent.run('https://c.example/cb?error=x&iss=https%3A%2F%2Fas.example', silent),
    ).toEqual({
      ok: false,
      message:
        'carries "iss" but the metadata does not advertise authorization_response_iss_parameter_supported',
      expected: true,
    });
    expect(
      issAdvertisedWhenSent.run('https://c.example/cb#error=x&iss=a', {
        metadata: { authorization_response_iss_parameter_supported: 'true' },
      }),
    ).toMatchObject({ ok: false, actual: 'true' });
  });
  it('needs an absolute URL and a metadata object', () => {
    expect(issAdvertisedWhenSent.run('/cb', advertised)).toMatchObject({
      ok: false,
      message: 'is not an absolute URL',
    });
    expect(issAdvertisedWhenSent.run('https://c.example/cb', {})).toEqual({
      ok: false,
      message: 'the metadata to compare with is not a JSON object',
    });
  });
});

describe('scope-not-granted', () => {
  const args = { scope: 'mcp:admin' };
  it('accepts a refusal, and a token whose scope leaves the scope out', () => {
    expect(scopeNotGranted.run({ error: 'invalid_scope' }, args)).toEqual({ ok: true });
    expect(scopeNotGranted.run({ access_token: 'at', scope: 'mcp:tools offline_access' }, args)).toEqual({
      ok: true,
    });
  });
  it('rejects a token that grants the scope, or says nothing of its scope', () => {
    expect(scopeNotGranted.run({ access_token: 'at', scope: 'mcp:tools mcp:admin' }, args)).toEqual({
      ok: false,
      message: 'grants "mcp:admin"',
      expected: 'a "scope" without "mcp:admin"',
      actual: 'mcp:tools mcp:admin',
    });
    expect(scopeNotGranted.run({ access_token: 'at' }, args)).toEqual({
      ok: false,
      message: 'grants "mcp:admin": the token response has no "scope", so it grants what was requested',
      expected: 'an error, or a "scope" without "mcp:admin"',
      actual: 'no "scope"',
    });
    expect(scopeNotGranted.run({ token_type: 'Bearer' }, args)).toEqual({
      ok: false,
      message: 'is neither an error nor a token response',
      actual: ['token_type'],
    });
  });
});

describe('scope-includes', () => {
  it('accepts a scope string holding every wanted scope', () => {
    expect(scopeIncludes.run('openid mcp:tools', { scope: 'mcp:tools' })).toEqual({ ok: true });
    expect(scopeIncludes.run('mcp:tools openid x', { scope: 'openid mcp:tools' })).toEqual({ ok: true });
  });
  it('rejects a string lacking one, a near miss and a non-string', () => {
    expect(scopeIncludes.run('mcp:tools2 openid', { scope: 'openid mcp:tools' })).toEqual({
      ok: false,
      message: 'lacks "mcp:tools"',
      expected: 'openid mcp:tools',
      actual: 'mcp:tools2 openid',
    });
    expect(scopeIncludes.run(['mcp:tools'], { scope: 'mcp:tools' })).toMatchObject({
      ok: false,
      message: 'is not a scope string',
    });
  });
});

describe('not-redirected-onward', () => {
  const args = {
    endpoint: 'https://as.test/authorize',
    accepted: { location: '/interaction/Yx3kQ9bT2mZp8LwN4vR1s' },
  };
  it('accepts no redirect, and a redirect to another page of the server', () => {
    expect(notRedirectedOnward.run({ 'content-type': 'text/html' }, args)).toEqual({ ok: true });
    expect(notRedirectedOnward.run({ location: '/error?error=invalid_redirect_uri' }, args)).toEqual({
      ok: true,
    });
    expect(notRedirectedOnward.run({ location: '/login' }, { ...args, accepted: {} })).toEqual({ ok: true });
  });
  it('rejects a redirect away from the server, and one to where a valid request goes', () => {
    expect(
      notRedirectedOnward.run({ location: 'https://evil.example/cb?error=invalid_request' }, args),
    ).toEqual({
      ok: false,
      message: 'redirects to https://evil.example, away from the authorization server',
      expected: 'no redirect, or an error page of the authorization server',
      actual: 'https://evil.example/cb?error=invalid_request',
    });
    expect(notRedirectedOnward.run({ location: '/interaction/Ab7dE9fG1hJ2kL3mN4pQ5' }, args)).toEqual({
      ok: false,
      message: 'redirects where a valid request goes (its login or consent page): the request was accepted',
      expected: 'not https://as.test/interaction/*',
      actual: '/interaction/Ab7dE9fG1hJ2kL3mN4pQ5',
    });
  });
});
