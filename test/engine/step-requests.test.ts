import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/engine/run-context.js';
import { buildRequest } from '../../src/engine/step-requests.js';

const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
const privateJwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'ES256' };

const context: RunContext = {
  target: {
    name: 't',
    issuer: 'https://as.test',
    mcp: { url: 'https://mcp.test/mcp', resource: 'https://mcp.test/mcp' },
    clients: {
      confidential: { clientId: 'c1', clientSecret: 's3cr3t', authMethod: 'client_secret_basic' },
      private_key_jwt: {
        clientId: 'j1',
        privateKey: JSON.stringify(privateJwk),
        authMethod: 'private_key_jwt',
      },
    },
    scopes: {},
    options: { timeoutMs: 1000, maxResponseBytes: 1024, scopeErrorStyle: 'http-403' },
    secrets: [],
  },
  discovery: {
    values: {
      issuer: 'https://as.test',
      token_endpoint: 'https://as.test/token',
      mcp_url: 'https://mcp.test/mcp',
      grant_client_credentials: 'true',
    },
    missing: {},
  },
};

describe('buildRequest', () => {
  it('appends form-urlencoded query parameters to a plain request URL', async () => {
    const built = await buildRequest(
      {
        kind: 'request',
        spec: {
          method: 'GET',
          url: 'https://as.test/auth?a=1',
          query: { redirect_uri: 'https://c.example/cb?x=1', state: 'a+b/c=&d %' },
        },
      },
      context,
    );
    expect(built).toMatchObject({
      kind: 'send',
      request: {
        url: 'https://as.test/auth?a=1&redirect_uri=https%3A%2F%2Fc.example%2Fcb%3Fx%3D1&state=a%2Bb%2Fc%3D%26d+%25',
      },
    });
  });

  it('authenticates a token request with client_secret_basic', async () => {
    const built = await buildRequest(
      { kind: 'token', spec: { grant: 'client_credentials', resource: ['a', 'b'] } },
      context,
    );
    expect(built).toMatchObject({
      kind: 'send',
      request: {
        method: 'POST',
        url: 'https://as.test/token',
        headers: { authorization: `Basic ${Buffer.from('c1:s3cr3t').toString('base64')}` },
        body: 'grant_type=client_credentials&resource=a&resource=b',
      },
    });
  });

  it('signs a private_key_jwt client assertion for the issuer', async () => {
    const built = await buildRequest(
      { kind: 'token', spec: { grant: 'client_credentials', client: 'private_key_jwt' } },
      context,
    );
    if (built.kind !== 'send') throw new Error(built.kind);
    const form = new URLSearchParams(built.request.body);
    const assertion = form.get('client_assertion')!;
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(built.secrets).toEqual([assertion]);
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'k1' });
    const { payload } = await jwtVerify(assertion, await importJWK(await exportJWK(publicKey), 'ES256'), {
      issuer: 'j1',
      subject: 'j1',
      audience: 'https://as.test',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
  });

  it('refuses to send client credentials to an origin the target does not name', async () => {
    const built = await buildRequest(
      { kind: 'token', spec: { grant: 'client_credentials', url: 'https://elsewhere.test/token' } },
      context,
    );
    expect(built).toEqual({
      kind: 'refused',
      why: 'client credentials not sent: https://elsewhere.test/token is outside the origins the target names (https://as.test, https://mcp.test)',
    });
  });

  it('sends a secret the run was handed back to the origin that issued it, and nowhere else', async () => {
    const spec = {
      grant: 'client_credentials',
      client_id: 'reg1',
      client_secret: 'issued-secret',
      url: 'https://dcr.test/token',
    };
    const issued = new Map([['issued-secret', 'https://dcr.test']]);
    expect(await buildRequest({ kind: 'token', spec }, context, issued)).toMatchObject({ kind: 'send' });
    expect(
      await buildRequest(
        { kind: 'token', spec: { ...spec, url: 'https://other.test/token' } },
        context,
        issued,
      ),
    ).toMatchObject({
      kind: 'refused',
    });
  });

  it('adds client_secret_post fields to a plain form request', async () => {
    const built = await buildRequest(
      {
        kind: 'request',
        spec: {
          method: 'POST',
          url: 'https://as.test/introspect',
          form: { token: 't' },
          client_auth: 'client_secret_post',
        },
      },
      context,
    );
    expect(built).toMatchObject({
      kind: 'send',
      request: { body: 'token=t&client_id=c1&client_secret=s3cr3t' },
    });
  });

  it("authenticates a plain request as a target client by role, with that client's own method", async () => {
    const withIntrospection: RunContext = {
      ...context,
      target: {
        ...context.target,
        clients: {
          ...context.target.clients,
          introspection: { clientId: 'rs', clientSecret: 'rs-secret', authMethod: 'client_secret_post' },
        },
      },
    };
    const built = await buildRequest(
      {
        kind: 'request',
        spec: {
          method: 'POST',
          url: 'https://as.test/introspect',
          form: { token: 't' },
          client_auth: { client: 'introspection' },
        },
      },
      withIntrospection,
    );
    expect(built).toMatchObject({
      kind: 'send',
      request: { body: 'token=t&client_id=rs&client_secret=rs-secret' },
    });
    if (built.kind !== 'send') throw new Error(built.kind);
    expect(built.request.headers.authorization).toBeUndefined();
  });

  it('does not send registrations to a target that declares registration disabled', async () => {
    const disabled: RunContext = {
      ...context,
      target: { ...context.target, registration: { enabled: false } },
      discovery: {
        ...context.discovery,
        values: { ...context.discovery.values, registration_endpoint: 'https://as.test/reg' },
      },
    };
    expect(await buildRequest({ kind: 'register', spec: { metadata: {} } }, disabled)).toEqual({
      kind: 'missing',
      name: 'target.registration.enabled',
      why: 'the target declares registration disabled',
    });
  });

  it('skips, with the reason, when a needed client or endpoint is missing', async () => {
    const bare: RunContext = {
      ...context,
      target: { ...context.target, clients: {} },
      discovery: { values: {}, missing: { token_endpoint: 'no metadata' } },
    };
    expect(await buildRequest({ kind: 'token', spec: { grant: 'client_credentials' } }, bare)).toEqual({
      kind: 'missing',
      name: 'discovery.token_endpoint',
      why: 'no metadata',
    });
    expect(
      await buildRequest(
        { kind: 'token', spec: { grant: 'refresh_token', url: 'https://as.test/token' } },
        bare,
      ),
    ).toEqual({
      kind: 'missing',
      name: 'target.clients.confidential',
      why: 'the target configures no such client',
    });
  });

  it('sends no client_credentials request to a server whose metadata does not list that grant', async () => {
    const without: RunContext = {
      ...context,
      discovery: {
        values: { token_endpoint: 'https://as.test/token' },
        missing: { grant_client_credentials: 'not in grant_types_supported' },
      },
    };
    expect(await buildRequest({ kind: 'token', spec: { grant: 'client_credentials' } }, without)).toEqual({
      kind: 'missing',
      name: 'discovery.grant_client_credentials',
      why: 'not in grant_types_supported',
    });
    expect(
      await buildRequest({ kind: 'token', spec: { grant: 'authorization_code', code: 'c' } }, without),
    ).toMatchObject({
      kind: 'send',
    });
  });

  it('sends an MCP request with the token and session headers', async () => {
    const built = await buildRequest(
      { kind: 'mcp', spec: { method: 'tools/list', token: 'at', session: 'sid' } },
      context,
    );
    expect(built).toMatchObject({
      kind: 'send',
      request: {
        method: 'POST',
        url: 'https://mcp.test/mcp',
        headers: { authorization: 'Bearer at', 'mcp-session-id': 'sid' },
      },
    });
  });
});
