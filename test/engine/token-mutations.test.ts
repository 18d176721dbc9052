import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { alterToken } from '../../src/engine/token-mutations.js';

const { publicKey, privateKey } = await generateKeyPair('ES256');
const token = await new SignJWT({ scope: 'mcp:tools', sub: 'client' })
  .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
  .setIssuer('https://as.test')
  .setExpirationTime('5m')
  .sign(privateKey);
const verifyKey = await importJWK(await exportJWK(publicKey), 'ES256');

describe('alterToken', () => {
  it('keeps the original verifiable', async () => {
    await expect(jwtVerify(token, verifyKey)).resolves.toBeDefined();
  });

  it.each(['alg-none', 'tampered-payload', 'no-signature', 'wrong-signature'] as const)(
    '%s no longer verifies',
    async (alteration) => {
      const altered = alterToken(token, alteration)!;
      expect(altered).not.toBe(token);
      await expect(jwtVerify(altered, verifyKey)).rejects.toThrow();
    },
  );

  it('alg-none keeps the claims and says alg none', () => {
    const altered = alterToken(token, 'alg-none')!;
    expect(decodeProtectedHeader(altered)).toEqual({ alg: 'none', typ: 'at+jwt' });
    expect(decodeJwt(altered)).toEqual(decodeJwt(token));
    expect(altered.endsWith('.')).toBe(true);
  });

  it('tampered-payload widens the scope under the original signature', () => {
    const altered = alterToken(token, 'tampered-payload')!;
    expect(decodeJwt(altered)).toMatchObject({
      scope: 'mcp:tools mcp-conformance:tampered',
      sub: 'mcp-conformance-tampered',
    });
    expect(altered.split('.')[2]).toBe(token.split('.')[2]);
  });

  it('refuses what is not a JWT', () => {
    expect(alterToken('opaque-token', 'alg-none')).toBeUndefined();
    expect(alterToken('a.b.c', 'alg-none')).toBeUndefined();
  });
});
