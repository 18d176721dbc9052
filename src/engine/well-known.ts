/**
 * Well-known URL construction. RFC 8414 §3 and RFC 9728 §3 insert the well-known segment between
 * the host and the path (dropping a lone trailing slash); OpenID Connect Discovery §4 appends it.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 */
export function insertWellKnown(identifier: string, suffix: string): string {
  const url = new URL(identifier);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}/.well-known/${suffix}${path}${url.search}`;
}

export function appendWellKnown(identifier: string, suffix: string): string {
  const url = new URL(identifier);
  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  return `${url.origin}${path}/.well-known/${suffix}`;
}

export function originOf(identifier: string): string {
  return new URL(identifier).origin;
}

export function hasPath(identifier: string): boolean {
  const { pathname } = new URL(identifier);
  return pathname !== '/' && pathname !== '';
}

/**
 * The AS metadata locations MCP 2025-11-25 clients try, in order (§4.3 of its authorization spec).
 */
export function asMetadataProbeOrder(issuer: string): { url: string; kind: 'rfc8414' | 'oidc' }[] {
  if (!hasPath(issuer)) {
    return [
      { url: insertWellKnown(issuer, 'oauth-authorization-server'), kind: 'rfc8414' },
      { url: insertWellKnown(issuer, 'openid-configuration'), kind: 'oidc' },
    ];
  }
  return [
    { url: insertWellKnown(issuer, 'oauth-authorization-server'), kind: 'rfc8414' },
    { url: insertWellKnown(issuer, 'openid-configuration'), kind: 'oidc' },
    { url: appendWellKnown(issuer, 'openid-configuration'), kind: 'oidc' },
  ];
}
