/**
 * Forged variants of a real JWT access token, for resource-server probes: each must be refused.
 * They keep the original's claims so that only the altered property can explain an acceptance.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export const TOKEN_ALTERATIONS = ['alg-none', 'tampered-payload', 'no-signature', 'wrong-signature'] as const;
export type TokenAlteration = (typeof TOKEN_ALTERATIONS)[number];

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (segment: string) =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

/** The altered token, or undefined when `token` is not a compact JWS. */
export function alterToken(token: string, alteration: TokenAlteration): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  let claims: Record<string, unknown>;
  let protectedHeader: Record<string, unknown>;
  try {
    protectedHeader = decode(header);
    claims = decode(payload);
  } catch {
    return undefined;
  }
  switch (alteration) {
    case 'alg-none':
      return `${encode({ ...protectedHeader, alg: 'none' })}.${payload}.`;
    case 'tampered-payload':
      // widen the token: a claim an attacker would want, under the original signature
      return `${header}.${encode({ ...claims, scope: `${claims.scope ?? ''} mcp-conformance:tampered`.trim(), sub: 'mcp-conformance-tampered' })}.${signature}`;
    case 'no-signature':
      return `${header}.${payload}.`;
    case 'wrong-signature': {
      const bytes = Buffer.from(signature, 'base64url');
      if (bytes.length === 0) return undefined;
      bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 0x01;
      return `${header}.${payload}.${bytes.toString('base64url')}`;
    }
  }
}
