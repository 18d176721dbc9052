import { describe, expect, it } from 'vitest';
import { jwkSet, jwksNoPrivateKeys, jwksUseWhenMixed } from '../../src/checks/jwks-checks.js';
import {
  clientDocumentSupportAdvertised,
  jwtAuthSigningAlgs,
  mediaType,
  noEmptyArrays,
  nonEmptyStringArray,
} from '../../src/checks/metadata-checks.js';
import {
  canonicalServerUri,
  httpsUrl,
  issuerIdentifier,
  noQuery,
  resourceCoversUrl,
} from '../../src/checks/url-checks.js';

describe('no-empty-arrays', () => {
  it('accepts objects without empty arrays and members the arguments allow', () => {
    expect(noEmptyArrays.run({ a: ['x'], b: 'y' }, {})).toEqual({ ok: true });
    expect(
      noEmptyArrays.run({ bearer_methods_supported: [] }, { allow: ['bearer_methods_supported'] }),
    ).toEqual({ ok: true });
  });
  it('rejects empty arrays by name, and non-objects', () => {
    expect(noEmptyArrays.run({ scopes_supported: [], x: [] }, {})).toEqual({
      ok: false,
      message: 'has empty arrays: "scopes_supported", "x"',
      actual: ['scopes_supported', 'x'],
    });
    expect(noEmptyArrays.run([], {})).toMatchObject({ ok: false, message: 'is not a JSON object' });
  });
});

describe('media-type', () => {
  it('accepts the type with parameters, case-insensitively', () => {
    expect(mediaType.run('Application/JSON; charset=utf-8', { type: 'application/json' })).toEqual({
      ok: true,
    });
  });
  it('rejects another type and a missing header', () => {
    expect(mediaType.run('text/html', { type: 'application/json' })).toEqual({
      ok: false,
      message: 'is "text/html", not "application/json"',
      expected: 'application/json',
      actual: 'text/html',
    });
    expect(mediaType.run(undefined, {})).toMatchObject({ ok: false, message: 'Content-Type is missing' });
  });
});

describe('jwt-auth-signing-algs', () => {
  it('accepts JWT authentication with its algorithms, and no JWT authentication at all', () => {
    expect(
      jwtAuthSigningAlgs.run(
        {
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
          token_endpoint_auth_signing_alg_values_supported: ['ES256'],
        },
        {},
      ),
    ).toEqual({ ok: true });
    expect(
      jwtAuthSigningAlgs.run({ token_endpoint_auth_methods_supported: ['client_secret_basic'] }, {}),
    ).toEqual({ ok: true });
  });
  it('rejects missing algorithms and "none"', () => {
    expect(
      jwtAuthSigningAlgs.run({ introspection_endpoint_auth_methods_supported: ['client_secret_jwt'] }, {}),
    ).toMatchObject({
      ok: false,
      message:
        '"introspection_endpoint_auth_methods_supported" offers JWT authentication without "introspection_endpoint_auth_signing_alg_values_supported"',
    });
    expect(
      jwtAuthSigningAlgs.run({ token_endpoint_auth_signing_alg_values_supported: ['RS256', 'none'] }, {}),
    ).toMatchObject({
      ok: false,
      message: '"token_endpoint_auth_signing_alg_values_supported" lists "none"',
    });
  });
});

describe('non-empty-string-array', () => {
  it('accepts strings and rejects empty arrays, non-arrays and other members', () => {
    expect(nonEmptyStringArray.run(['a'], {})).toEqual({ ok: true });
    expect(nonEmptyStringArray.run([], {})).toMatchObject({ ok: false, message: 'is an empty array' });
    expect(nonEmptyStringArray.run('a', {})).toMatchObject({ ok: false, message: 'is not an array' });
    expect(nonEmptyStringArray.run(['a', 1], {})).toMatchObject({ ok: false, actual: 1 });
  });
});

describe('JWK Set checks', () => {
  const publicKey = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' };
  it('jwk-set accepts a set and rejects a key without kty', () => {
    expect(jwkSet.run({ keys: [publicKey] }, {})).toEqual({ ok: true });
    expect(jwkSet.run({ keys: [{ kid: 'a' }] }, {})).toMatchObject({
      ok: false,
      message: 'key 0 has no "kty"',
    });
    expect(jwkSet.run({ key: [] }, {})).toMatchObject({ ok: false, message: 'has no "keys" array' });
  });
  it('jwks-no-private-keys rejects private members and symmetric keys', () => {
    expect(jwksNoPrivateKeys.run({ keys: [publicKey] }, {})).toEqual({ ok: true });
    expect(jwksNoPrivateKeys.run({ keys: [{ ...publicKey, d: 'secret' }] }, {})).toEqual({
      ok: false,
      message: 'key 0 ("k1") has private members d',
      actual: ['d'],
    });
    expect(jwksNoPrivateKeys.run({ keys: [{ kty: 'oct' }] }, {})).toMatchObject({
      ok: false,
      message: 'key 0 is a symmetric key (kty "oct")',
    });
  });
  it('jwks-use-when-mixed wants "use" on every key once an encryption key is present', () => {
    expect(jwksUseWhenMixed.run({ keys: [publicKey] }, {})).toEqual({ ok: true });
    expect(jwksUseWhenMixed.run({ keys: [{ ...publicKey, use: 'enc' }, publicKey] }, {})).toMatchObject({
      ok: false,
      message: 'key 1 has no "use" although the set holds encryption keys',
    });
  });
});

describe('URL checks', () => {
  it('https-url', () => {
    expect(httpsUrl.run('https://h/p', {})).toEqual({ ok: true });
    expect(httpsUrl.run('http://h/p', {})).toMatchObject({ ok: false, message: 'uses "http", not https' });
    expect(httpsUrl.run('https://h/p#f', {})).toMatchObject({ ok: false, message: 'has a fragment' });
    expect(httpsUrl.run('/relative', {})).toMatchObject({ ok: false, message: 'is not an absolute URL' });
  });
  it('issuer-identifier refuses a query', () => {
    expect(issuerIdentifier.run('https://h/t1', {})).toEqual({ ok: true });
    expect(issuerIdentifier.run('https://h/?x=1', {})).toMatchObject({
      ok: false,
      message: 'has a query component',
    });
  });
  it('no-query', () => {
    expect(noQuery.run('https://h/p', {})).toEqual({ ok: true });
    expect(noQuery.run('https://h/p?a', {})).toMatchObject({ ok: false });
  });
  it('canonical-server-uri', () => {
    expect(canonicalServerUri.run('https://h.example/mcp', {})).toEqual({ ok: true });
    expect(canonicalServerUri.run('HTTPS://h/mcp', {})).toMatchObject({
      ok: false,
      message: 'has an uppercase scheme',
    });
    expect(canonicalServerUri.run('https://H.example/mcp', {})).toMatchObject({
      ok: false,
      message: 'has an uppercase host',
    });
    expect(canonicalServerUri.run('https://h/mcp/', {})).toMatchObject({
      ok: false,
      message: 'ends with a slash',
    });
  });
  it('resource-covers-url: same origin and a path prefix', () => {
    expect(resourceCoversUrl.run('https://h', { url: 'https://h/mcp' })).toEqual({ ok: true });
    expect(resourceCoversUrl.run('https://h/mcp', { url: 'https://h/mcp' })).toEqual({ ok: true });
    expect(resourceCoversUrl.run('https://h/mc', { url: 'https://h/mcp' })).toMatchObject({
      ok: false,
      message: 'path is not a prefix of the server URL path',
    });
    expect(resourceCoversUrl.run('https://other/mcp', { url: 'https://h/mcp' })).toMatchObject({
      ok: false,
      message: 'has another origin than the server URL',
    });
  });
});

describe('client-document-support-advertised', () => {
  const fetch = { method: 'GET', url: 'https://127.0.0.1:4000/cimd/client.json', status: 200 };
  it('accepts a fetch by a server whose metadata advertises the flag', () => {
    expect(
      clientDocumentSupportAdvertised.run(fetch, {
        metadata: { client_id_metadata_document_supported: true },
      }),
    ).toEqual({ ok: true });
  });
  it('rejects a fetch by a server whose metadata leaves the flag out or sets it otherwise', () => {
    expect(clientDocumentSupportAdvertised.run(fetch, { metadata: {} })).toEqual({
      ok: false,
      message:
        'fetched https://127.0.0.1:4000/cimd/client.json although the metadata does not advertise client_id_metadata_document_supported',
      expected: true,
      actual: null,
    });
    expect(
      clientDocumentSupportAdvertised.run(fetch, {
        metadata: { client_id_metadata_document_supported: 'true' },
      }),
    ).toMatchObject({ ok: false, actual: 'true' });
  });
  it('rejects values that are not a fetch, and missing metadata', () => {
    expect(clientDocumentSupportAdvertised.run('x', { metadata: {} })).toMatchObject({ ok: false });
    expect(clientDocumentSupportAdvertised.run(fetch, {})).toMatchObject({
      ok: false,
      message: 'the metadata to compare with is not a JSON object',
    });
  });
});
