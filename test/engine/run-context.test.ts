import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupContext, type RunContext, redirectUriMatches } from '../../src/engine/run-context.js';
import { DEFAULT_CORS_ORIGIN, loadTargetFile } from '../../src/suite/target.js';

function contextWith(corsOrigin?: string): RunContext {
  return {
    target: {
      name: 't',
      mcp: { url: 'https://mcp.test/mcp', resource: 'https://mcp.test/mcp' },
      clients: {},
      scopes: {},
      options: {
        timeoutMs: 1000,
        maxResponseBytes: 1024,
        scopeErrorStyle: 'http-403',
        ...(corsOrigin ? { corsOrigin } : {}),
      },
      secrets: [],
    },
    discovery: { values: {}, missing: {} },
  };
}

describe('target.cors values', () => {
  it('probe with the declared origin, which is also the allowed one', () => {
    const context = contextWith('https://app.example.com');
    expect(lookupContext(context, 'target.cors.origin')).toEqual({ value: 'https://app.example.com' });
    expect(lookupContext(context, 'target.cors.allowed_origin')).toEqual({
      value: 'https://app.example.com',
    });
  });

  it('probe with the default origin when none is declared, and have no allowed origin', () => {
    const context = contextWith();
    expect(lookupContext(context, 'target.cors.origin')).toEqual({ value: DEFAULT_CORS_ORIGIN });
    expect(lookupContext(context, 'target.cors.allowed_origin')).toEqual({
      missing: 'the target declares no allowed origin (options.cors_origin)',
    });
  });

  it('read options.cors_origin from a target file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'mcp-conformance-target-'));
    const path = join(directory, 'target.yaml');
    writeFileSync(
      path,
      'schema: mcp-conformance/target/v1\nmcp:\n  url: https://mcp.test/mcp\noptions:\n  cors_origin: https://app.example.com\n',
    );
    expect(loadTargetFile(path, {}).options.corsOrigin).toBe('https://app.example.com');
  });
});

const base: RunContext = {
  target: {
    name: 't',
    clients: {},
    scopes: {},
    options: { timeoutMs: 1000, maxResponseBytes: 1024, scopeErrorStyle: 'http-403' },
    secrets: [],
  },
  discovery: { values: {}, missing: {} },
};

const withTarget = (target: Partial<RunContext['target']>): RunContext => ({
  ...base,
  target: { ...base.target, ...target },
});

describe('redirectUriMatches', () => {
  it('matches "*" against any run of characters and the rest literally, over the whole URI', () => {
    expect(redirectUriMatches('http://127.0.0.1:*/callback', 'http://127.0.0.1:33418/callback')).toBe(true);
    expect(redirectUriMatches('http://127.0.0.1:*/callback', 'http://127.0.0.1:1/callback/x')).toBe(false);
    expect(redirectUriMatches('https://app.example.com/*', 'https://app.example.com/')).toBe(true);
    expect(redirectUriMatches('https://app.example.com/cb', 'https://appXexample.com/cb')).toBe(false);
  });
});

describe('lookupContext: registration policy', () => {
  it('without a declared policy, registration is enabled and nothing else is known', () => {
    expect(lookupContext(base, 'target.registration.enabled')).toEqual({ value: true });
    expect(lookupContext(base, 'target.registration.disabled')).toEqual({
      missing: 'the target does not declare registration disabled',
    });
    expect(lookupContext(base, 'target.registration.disallowed_redirect_uri')).toEqual({
      missing: 'the target declares no allowed_redirect_uris',
    });
  });

  it('registration disabled', () => {
    const context = withTarget({ registration: { enabled: false } });
    expect(lookupContext(context, 'target.registration.disabled')).toEqual({ value: true });
    expect(lookupContext(context, 'target.registration.enabled')).toEqual({
      missing: 'the target declares registration disabled',
    });
  });

  it('picks a redirect URI outside every allowed pattern', () => {
    const context = withTarget({
      registration: { enabled: true, allowedRedirectUris: ['https://mcp-conformance-outside.example/*'] },
    });
    expect(lookupContext(context, 'target.registration.disallowed_redirect_uri')).toEqual({
      value: 'https://127.0.0.1/mcp-conformance-outside-callback',
    });
    const everything = withTarget({ registration: { enabled: true, allowedRedirectUris: ['*'] } });
    expect(lookupContext(everything, 'target.registration.disallowed_redirect_uri')).toEqual({
      missing: 'every candidate redirect URI matches an allowed pattern',
    });
  });
});

describe('lookupContext: clients and step-up', () => {
  it('says whether the suite must register its own public client', () => {
    expect(lookupContext(base, 'target.clients.public_not_configured')).toEqual({ value: true });
    const context = withTarget({ clients: { public: { clientId: 'p', authMethod: 'none' } } });
    expect(lookupContext(context, 'target.clients.public.client_id')).toEqual({ value: 'p' });
    expect(lookupContext(context, 'target.clients.public_not_configured')).toEqual({
      missing: 'the target pre-registers a public client (clients.public)',
    });
  });

  it('gives max_age as the text a challenge carries', () => {
    const context = withTarget({ stepUp: { tool: 'x', maxAge: 300 } });
    expect(lookupContext(context, 'target.step_up.max_age')).toEqual({ value: '300' });
    expect(lookupContext(context, 'target.step_up.acr_values')).toEqual({
      missing: "the target's step_up declares no acr_values",
    });
    expect(lookupContext(base, 'target.step_up.tool')).toEqual({
      missing: 'the target declares no step-up requirement (step_up)',
    });
  });
});

describe('target file: cimd (client document host)', () => {
  const write = (body: string, files: Record<string, string> = {}) => {
    const directory = mkdtempSync(join(tmpdir(), 'mcp-conformance-target-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
    const path = join(directory, 'target.yaml');
    writeFileSync(path, `schema: mcp-conformance/target/v1\nmcp:\n  url: https://mcp.test/mcp\n${body}`);
    return path;
  };
  it('reads the port and the certificate and key files; bind and base URL default to 127.0.0.1', () => {
    const path = write('cimd:\n  port: 8443\n  tls: { cert_file: host.pem, key_file: host.key }\n', {
      'host.pem': 'CERT',
      'host.key': 'KEY',
    });
    expect(loadTargetFile(path, {}).cimd).toEqual({
      bind: '127.0.0.1',
      port: 8443,
      baseUrl: 'https://127.0.0.1:8443',
      certPem: 'CERT',
      keyPem: 'KEY',
    });
  });
  it('keeps a declared loopback base URL and an IPv6 bind address', () => {
    const path = write(
      'cimd:\n  bind: "::1"\n  port: 9443\n  base_url: https://localhost:9443\n  tls: { cert_pem: C, key_pem: K }\n',
    );
    expect(loadTargetFile(path, {}).cimd).toMatchObject({ bind: '::1', baseUrl: 'https://localhost:9443' });
  });
  it('refuses a bind address or base URL off loopback, and says which file cannot be read', () => {
    expect(() =>
      loadTargetFile(write('cimd:\n  bind: 0.0.0.0\n  port: 1\n  tls: { cert_pem: C, key_pem: K }\n'), {}),
    ).toThrow(/cimd\.bind|bind/);
    expect(() =>
      loadTargetFile(
        write('cimd:\n  port: 1\n  base_url: https://docs.example.com\n  tls: { cert_pem: C, key_pem: K }\n'),
        {},
      ),
    ).toThrow(/base_url/);
    expect(() =>
      loadTargetFile(write('cimd:\n  port: 1\n  tls: { cert_file: none.pem, key_file: none.key }\n'), {}),
    ).toThrow('cannot read certificate file "none.pem"');
  });
});
