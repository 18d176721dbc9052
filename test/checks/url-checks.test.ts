import { describe, expect, it } from 'vitest';
import { redirectUriTarget } from '../../src/checks/url-checks.js';

describe('redirect-uri-target', () => {
  const uri = 'https://client.example/cb';
  it('accepts the redirect URI with response parameters in the query or fragment', () => {
    expect(redirectUriTarget.run(`${uri}?error=invalid_request&state=s`, { uri })).toEqual({ ok: true });
    expect(redirectUriTarget.run(`${uri}#error=unsupported_response_type`, { uri })).toEqual({ ok: true });
    expect(redirectUriTarget.run(uri, { uri })).toEqual({ ok: true });
  });
  it('rejects another URL, compared as a string without normalization', () => {
    expect(redirectUriTarget.run('https://client.example/cb/?error=x', { uri })).toEqual({
      ok: false,
      message: 'does not lead to the redirect URI',
      expected: uri,
      actual: 'https://client.example/cb/',
    });
    expect(redirectUriTarget.run('https://CLIENT.example/cb?error=x', { uri })).toMatchObject({ ok: false });
    expect(redirectUriTarget.run('/interaction/abc', { uri })).toMatchObject({ ok: false });
  });
  it("requires the redirect URI's own query parameters to be kept", () => {
    const withQuery = 'https://client.example/cb?tenant=a';
    expect(redirectUriTarget.run(`${withQuery}&error=x`, { uri: withQuery })).toEqual({ ok: true });
    expect(redirectUriTarget.run('https://client.example/cb?error=x', { uri: withQuery })).toEqual({
      ok: false,
      message: 'drops the redirect URI\'s own query parameter "tenant"',
      expected: withQuery,
      actual: 'https://client.example/cb?error=x',
    });
  });
  it('rejects a value or argument that is not a string', () => {
    expect(redirectUriTarget.run(3, { uri })).toEqual({ ok: false, message: 'is not a string', actual: 3 });
    expect(redirectUriTarget.run(uri, {})).toEqual({
      ok: false,
      message: 'the redirect URI to compare with is not a string',
    });
  });
});
