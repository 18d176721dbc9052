import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../../src/engine/discovery.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { Redactor } from '../../src/engine/redact.js';
import type { Target } from '../../src/suite/target.js';

const target: Target = {
  name: 't',
  issuer: 'https://as.test',
  clients: {},
  scopes: { base: 'mcp:read' },
  options: { timeoutMs: 1000, maxResponseBytes: 65536, scopeErrorStyle: 'http-403' },
  expectedFailures: [],
  secrets: [],
  source: 'test',
};

const json = { headers: { 'content-type': 'application/json' } };
const metadata = (extra: Record<string, unknown>) => ({
  issuer: 'https://as.test',
  authorization_endpoint: 'https://as.test/authorize',
  token_endpoint: 'https://as.test/token',
  response_types_supported: ['code'],
  ...extra,
});

describe('discover', () => {
  let agent: MockAgent;
  afterEach(async () => {
    await agent.close();
  });

  function serve(responses: Record<string, [number, unknown]>) {
    agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://as.test');
    for (const [path, [status, body]] of Object.entries(responses)) {
      pool.intercept({ path, method: 'GET' }).reply(status, JSON.stringify(body), json).persist();
    }
    return new HttpClient({ timeoutMs: 1000, maxBytes: 65536, redactor: new Redactor(), dispatcher: agent });
  }

  it('takes openid-configuration inserted after the host as the RFC 8414 location when the default is absent', async () => {
    const client = serve({
      '/.well-known/oauth-authorization-server': [404, {}],
      '/.well-known/openid-configuration': [
        200,
        metadata({ grant_types_supported: ['authorization_code'], scopes_supported: ['mcp:read'] }),
      ],
    });
    const { values, missing } = await discover(target, client);
    expect(values.as_metadata_url_path_inserted).toBe('https://as.test/.well-known/openid-configuration');
    expect(values.grant_client_credentials).toBeUndefined();
    expect(missing.grant_client_credentials).toBe(
      'the authorization server metadata does not list client_credentials in grant_types_supported (RFC 8414 §2)',
    );
    expect(values.code_flow_scope).toBe('mcp:read');
  });

  it('keeps the default location whenever it answers, and reads the grants and offline_access it lists', async () => {
    const client = serve({
      '/.well-known/oauth-authorization-server': [
        200,
        metadata({
          grant_types_supported: ['authorization_code', 'client_credentials'],
          scopes_supported: ['mcp:read', 'offline_access'],
        }),
      ],
    });
    const { values } = await discover(target, client);
    expect(values.as_metadata_url_path_inserted).toBe(
      'https://as.test/.well-known/oauth-authorization-server',
    );
    expect(values.grant_client_credentials).toBe('true');
    expect(values.code_flow_scope).toBe('mcp:read offline_access');
  });

  it('judges the default location when it refuses (401), even if openid-configuration answers', async () => {
    const client = serve({
      '/.well-known/oauth-authorization-server': [401, { error: 'invalid_client' }],
      '/.well-known/openid-configuration': [200, metadata({})],
    });
    const { values } = await discover(target, client);
    expect(values.as_metadata_url).toBe('https://as.test/.well-known/openid-configuration');
    expect(values.as_metadata_url_path_inserted).toBe(
      'https://as.test/.well-known/oauth-authorization-server',
    );
  });
});
