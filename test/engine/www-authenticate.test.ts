import { describe, expect, it } from 'vitest';
import { findChallenge, paramValues, parseWwwAuthenticate } from '../../src/engine/www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('reads a Bearer challenge with quoted and token parameters', () => {
    const parsed = parseWwwAuthenticate(
      'Bearer realm="mcp", error=invalid_token, resource_metadata="https://h/.well-known/x"',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.challenges).toEqual([
      {
        scheme: 'Bearer',
        params: [
          { name: 'realm', value: 'mcp', quoted: true },
          { name: 'error', value: 'invalid_token', quoted: false },
          { name: 'resource_metadata', value: 'https://h/.well-known/x', quoted: true },
        ],
      },
    ]);
  });

  it('separates several challenges in one field value', () => {
    const parsed = parseWwwAuthenticate('Basic realm="a", Bearer scope="x y", DPoP algs="ES256"');
    expect(parsed.challenges.map((c) => c.scheme)).toEqual(['Basic', 'Bearer', 'DPoP']);
    expect(paramValues(findChallenge(parsed, 'bearer')!, 'SCOPE')).toEqual(['x y']);
  });

  it('reads token68 credentials and a bare scheme', () => {
    expect(parseWwwAuthenticate('Negotiate abc123==').challenges[0]).toEqual({
      scheme: 'Negotiate',
      params: [],
      token68: 'abc123==',
    });
    expect(parseWwwAuthenticate('Bearer').challenges[0]).toEqual({ scheme: 'Bearer', params: [] });
  });

  it('keeps duplicate parameters and unescapes quoted pairs', () => {
    const parsed = parseWwwAuthenticate('Bearer error="a", error="b\\"c"');
    expect(paramValues(parsed.challenges[0]!, 'error')).toEqual(['a', 'b"c']);
  });

  it('reports an unterminated quoted string', () => {
    expect(parseWwwAuthenticate('Bearer realm="mcp').problems).toEqual([
      'unterminated quoted string for parameter "realm"',
    ]);
  });

  it('reports text that is neither a parameter nor a challenge', () => {
    expect(parseWwwAuthenticate('Bearer realm="a" junk').problems).toEqual([
      'unexpected text after parameter "realm" at offset 17',
    ]);
    expect(parseWwwAuthenticate('@@@').problems).toEqual(['unexpected character "@" at offset 0']);
  });
});
