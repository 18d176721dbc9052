import { describe, expect, it } from 'vitest';
import {
  accessTokenTyp,
  asymmetricAlg,
  audienceExcludes,
  audienceIncludes,
  describeUrlDifference,
  doesNotContain,
  expiredNow,
  expiresAfterIssued,
  kidInJwks,
  numericDate,
} from '../../src/checks/jwt-claim-checks.js';

describe('access-token-typ', () => {
  it('accepts at+jwt in both spellings, case-insensitively', () => {
    expect(accessTokenTyp.run('at+jwt', {})).toEqual({ ok: true });
    expect(accessTokenTyp.run('application/AT+JWT', {})).toEqual({ ok: true });
  });
  it('rejects JWT and a missing typ', () => {
    expect(accessTokenTyp.run('JWT', {})).toMatchObject({
      ok: false,
      message: '"typ" is "JWT", not "at+jwt"',
    });
    expect(accessTokenTyp.run(undefined, {})).toMatchObject({ ok: false, message: '"typ" is missing' });
  });
});

describe('asymmetric-alg', () => {
  it('accepts RS256 and ES256, rejects none and HS256', () => {
    expect(asymmetricAlg.run('RS256', {})).toEqual({ ok: true });
    expect(asymmetricAlg.run('ES256', {})).toEqual({ ok: true });
    expect(asymmetricAlg.run('none', {})).toMatchObject({ ok: false, message: 'the token is not signed' });
    expect(asymmetricAlg.run('HS256', {})).toMatchObject({ ok: false });
  });
});

describe('time claims', () => {
  it('numeric-date', () => {
    expect(numericDate.run(1700000000, {})).toEqual({ ok: true });
    expect(numericDate.run('1700000000', {})).toMatchObject({ ok: false });
    expect(numericDate.run(-1, {})).toMatchObject({ ok: false });
  });
  it('expires-after-issued', () => {
    expect(expiresAfterIssued.run({ iat: 10, exp: 20 }, {})).toEqual({ ok: true });
    expect(expiresAfterIssued.run({ iat: 20, exp: 20 }, {})).toMatchObject({
      ok: false,
      message: '"exp" (20) is not after "iat" (20)',
    });
    expect(expiresAfterIssued.run({ iat: 20 }, {})).toMatchObject({
      ok: false,
      message: 'lacks numeric "iat" and "exp"',
    });
  });
});

describe('audience-includes', () => {
  const args = { resource: 'https://h:8443/mcp' };
  it('accepts the resource as a string or in an array', () => {
    expect(audienceIncludes.run('https://h:8443/mcp', args)).toEqual({ ok: true });
    expect(audienceIncludes.run(['x', 'https://h:8443/mcp'], args)).toEqual({ ok: true });
  });
  it('says which URL part differs', () => {
    expect(audienceIncludes.run('https://h:8443/mcp/', args)).toEqual({
      ok: false,
      message:
        '"aud" does not name https://h:8443/mcp: "https://h:8443/mcp/" differs in path "/mcp/" vs "/mcp"',
      expected: 'https://h:8443/mcp',
      actual: 'https://h:8443/mcp/',
    });
    expect(describeUrlDifference('http://H:9443/mcp', 'https://h:8443/mcp')).toBe(
      '"http://H:9443/mcp" differs in scheme "http" vs "https", port "9443" vs "8443"',
    );
    expect(audienceIncludes.run(undefined, args)).toMatchObject({ ok: false, message: '"aud" is missing' });
  });
});

describe('kid-in-jwks', () => {
  const jwks = {
    keys: [
      { kty: 'EC', kid: 'a' },
      { kty: 'RSA', kid: 'b' },
    ],
  };
  it('accepts a kid of the set', () => {
    expect(kidInJwks.run({ alg: 'ES256', kid: 'a' }, { jwks })).toEqual({ ok: true });
  });
  it('rejects an unknown kid, and a missing kid when several keys exist', () => {
    expect(kidInJwks.run({ kid: 'z' }, { jwks })).toEqual({
      ok: false,
      message: '"kid" "z" is not in the JWK Set',
      expected: ['a', 'b'],
      actual: 'z',
    });
    expect(kidInJwks.run({ alg: 'ES256' }, { jwks })).toMatchObject({ ok: false });
    expect(kidInJwks.run({ alg: 'ES256' }, { jwks: { keys: [{ kty: 'EC' }] } })).toEqual({ ok: true });
  });
});

describe('does-not-contain', () => {
  it('rejects text that holds the needle, without quoting it', () => {
    expect(doesNotContain.run('{"ok":true}', { text: 'secret-token' })).toEqual({ ok: true });
    expect(doesNotContain.run('echo secret-token', { text: 'secret-token' })).toEqual({
      ok: false,
      message: 'contains the text it must not',
    });
  });
});

describe('audience-excludes', () => {
  it('accepts an audience without the resource and rejects one with it', () => {
    expect(audienceExcludes.run(['https://other/mcp'], { resource: 'https://h/mcp' })).toEqual({ ok: true });
    expect(audienceExcludes.run(undefined, { resource: 'https://h/mcp' })).toEqual({ ok: true });
    expect(audienceExcludes.run('https://h/mcp', { resource: 'https://h/mcp' })).toMatchObject({
      ok: false,
      message: '"aud" names https://h/mcp too',
    });
  });
});

describe('expired-now', () => {
  it('compares exp with a given HTTP date, or now', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(expiredNow.run(now - 5, {})).toEqual({ ok: true });
    expect(expiredNow.run(1700000000, { at: new Date(1700000000 * 1000).toUTCString() })).toEqual({
      ok: true,
    });
    expect(expiredNow.run(1700000003, { at: new Date(1700000000 * 1000).toUTCString() })).toMatchObject({
      ok: false,
      message: 'is 3 s after the request: the token had not expired yet',
    });
    expect(expiredNow.run(now, { at: 'yesterday-ish' })).toMatchObject({ ok: false });
    expect(expiredNow.run('soon', {})).toMatchObject({ ok: false, message: 'is not a NumericDate' });
  });
});
