import { describe, expect, it } from 'vitest';
import { appendWellKnown, asMetadataProbeOrder, insertWellKnown } from '../../src/engine/well-known.js';

describe('well-known URLs', () => {
  it('inserts the suffix between host and path (RFC 8414 §3, RFC 9728 §3)', () => {
    expect(insertWellKnown('https://h', 'oauth-authorization-server')).toBe(
      'https://h/.well-known/oauth-authorization-server',
    );
    expect(insertWellKnown('https://h/', 'oauth-authorization-server')).toBe(
      'https://h/.well-known/oauth-authorization-server',
    );
    expect(insertWellKnown('https://h/t1', 'oauth-authorization-server')).toBe(
      'https://h/.well-known/oauth-authorization-server/t1',
    );
    expect(insertWellKnown('https://h:8443/a/mcp', 'oauth-protected-resource')).toBe(
      'https://h:8443/.well-known/oauth-protected-resource/a/mcp',
    );
    expect(insertWellKnown('https://h/mcp?x=1', 'oauth-protected-resource')).toBe(
      'https://h/.well-known/oauth-protected-resource/mcp?x=1',
    );
  });

  it('keeps a trailing slash that belongs to a path', () => {
    expect(insertWellKnown('https://h/mcp/', 'oauth-protected-resource')).toBe(
      'https://h/.well-known/oauth-protected-resource/mcp/',
    );
  });

  it('appends the suffix for OpenID Connect Discovery, dropping a trailing slash', () => {
    expect(appendWellKnown('https://h/t1', 'openid-configuration')).toBe(
      'https://h/t1/.well-known/openid-configuration',
    );
    expect(appendWellKnown('https://h/t1/', 'openid-configuration')).toBe(
      'https://h/t1/.well-known/openid-configuration',
    );
    expect(appendWellKnown('https://h', 'openid-configuration')).toBe(
      'https://h/.well-known/openid-configuration',
    );
  });

  it('probes in the MCP 2025-11-25 order', () => {
    expect(asMetadataProbeOrder('https://h/tenant').map((p) => p.url)).toEqual([
      'https://h/.well-known/oauth-authorization-server/tenant',
      'https://h/.well-known/openid-configuration/tenant',
      'https://h/tenant/.well-known/openid-configuration',
    ]);
    expect(asMetadataProbeOrder('https://h').map((p) => p.url)).toEqual([
      'https://h/.well-known/oauth-authorization-server',
      'https://h/.well-known/openid-configuration',
    ]);
  });
});
