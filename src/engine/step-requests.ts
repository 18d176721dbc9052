import { randomUUID } from 'node:crypto';
import { importJWK, importPKCS8, type JWK, SignJWT } from 'jose';
import type {
  ClientAuthMethod,
  ClientRole,
  HttpRequestSpec,
  McpSpec,
  RegisterSpec,
  StepAction,
  TokenSpec,
} from '../suite/model.js';
import type { ClientCredentials } from '../suite/target.js';
import type { OutgoingRequest } from './http-client.js';
import { MCP_PROTOCOL_VERSION, mcpRequestHeaders } from './mcp-requests.js';
import type { RunContext } from './run-context.js';
import { alterToken } from './token-mutations.js';

/** A step's request, or why it is not sent: a missing value (skip) or a refusal (error). */
export type BuiltRequest =
  | {
      kind: 'send';
      request: OutgoingRequest /** credentials made for this request, to redact */;
      secrets?: string[];
    }
  | { kind: 'missing'; name: string; why: string }
  | { kind: 'refused'; why: string };

/**
 * Secrets the run was handed (a registered client's secret) mapped to the origin that issued them:
 * such a secret may go back to that origin even when the target file does not name it.
 */
export type IssuedSecrets = ReadonlyMap<string, string>;

/** Step actions that are one HTTP request; the browser's are in ./browser. */
export type HttpStepAction = Exclude<StepAction, { kind: 'authorize' | 'revoke_consent' }>;

/** Turns a step action, its templates already rendered, into the HTTP request it stands for. */
export async function buildRequest(
  action: HttpStepAction,
  context: RunContext,
  issued: IssuedSecrets = new Map(),
): Promise<BuiltRequest> {
  switch (action.kind) {
    case 'request':
      return plainRequest(action.spec, context, issued);
    case 'token':
      return tokenRequest(action.spec, context, issued);
    case 'mcp':
      return mcpRequest(action.spec, context);
    case 'register':
      return registrationRequest(action.spec, context);
  }
}

async function plainRequest(
  spec: HttpRequestSpec,
  context: RunContext,
  issued: IssuedSecrets,
): Promise<BuiltRequest> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | undefined;
  let form: URLSearchParams | undefined;
  if (spec.client_auth) {
    const { method, ...choice } =
      typeof spec.client_auth === 'string' ? { method: spec.client_auth } : spec.client_auth;
    const client = resolveClient(choice, context);
    if ('kind' in client) return client;
    form = new URLSearchParams(spec.form ?? {});
    const authenticated = await authenticateClient(
      client,
      method ?? client.authMethod,
      spec.url,
      headers,
      form,
      context,
      issued,
    );
    if (authenticated) return authenticated;
    body = form.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (spec.json !== undefined) {
    body = JSON.stringify(spec.json);
    headers['content-type'] ??= 'application/json';
  } else if (spec.form) {
    body = new URLSearchParams(spec.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (spec.body !== undefined) {
    body = spec.body;
  }
  return {
    kind: 'send',
    ...(form?.has('client_assertion') ? { secrets: [form.get('client_assertion')!] } : {}),
    request: {
      method: spec.method,
      url: spec.query ? withQuery(spec.url, spec.query) : spec.url,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(spec.follow_redirects ? { followRedirects: true } : {}),
      ...(spec.timeout_ms ? { timeoutMs: spec.timeout_ms } : {}),
      ...(spec.max_bytes ? { maxBytes: spec.max_bytes } : {}),
    },
  };
}

/** Appends parameters to a URL's query, form-urlencoded (OAuth 2.1 §13), keeping any it has. */
function withQuery(url: string, parameters: Record<string, string>): string {
  const encoded = new URLSearchParams(parameters).toString();
  if (!encoded) return url;
  const hash = url.indexOf('#');
  const [base, fragment] = hash === -1 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${encoded}${fragment}`;
}

/**
 * Client credentials travel only to the origins the target file names (its issuer and MCP server):
 * metadata that points an endpoint elsewhere must not be able to collect them.
 */
export function credentialOrigins(context: RunContext): Set<string> {
  const origins = new Set<string>();
  if (context.target.issuer) origins.add(new URL(context.target.issuer).origin);
  if (context.target.mcp) origins.add(new URL(context.target.mcp.url).origin);
  return origins;
}

function endpoint(explicit: string | undefined, name: string, context: RunContext): string | BuiltRequest {
  if (explicit) return explicit;
  const value = context.discovery.values[name];
  return (
    value ?? {
      kind: 'missing',
      name: `discovery.${name}`,
      why: context.discovery.missing[name] ?? 'not discovered',
    }
  );
}

/** RFC 6749 §2.3.1: client_secret_basic form-encodes id and secret before base64. */
function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** Which client authenticates: a target client by name, or explicit (e.g. registered) credentials. */
interface ClientChoice {
  client?: ClientRole;
  client_id?: string;
  client_secret?: string;
}

function resolveClient(choice: ClientChoice, context: RunContext): ClientCredentials | BuiltRequest {
  if (choice.client_id !== undefined) {
    return {
      clientId: choice.client_id,
      ...(choice.client_secret !== undefined ? { clientSecret: choice.client_secret } : {}),
      authMethod: choice.client_secret !== undefined ? 'client_secret_basic' : 'none',
    };
  }
  const name = choice.client ?? 'confidential';
  const client = context.target.clients[name];
  return (
    client ?? { kind: 'missing', name: `target.clients.${name}`, why: 'the target configures no such client' }
  );
}

/**
 * Adds client authentication to a request (RFC 6749 §2.3.1, OAuth 2.1 §2.4, RFC 7523 §2.2): Basic,
 * form fields, both (to test that servers refuse two methods), a signed client assertion, or just
 * the client id. Credentials are only ever sent to an origin the target names.
 */
async function authenticateClient(
  client: ClientCredentials,
  method: ClientAuthMethod,
  url: string,
  headers: Record<string, string>,
  form: URLSearchParams,
  context: RunContext,
  issued: IssuedSecrets,
): Promise<BuiltRequest | undefined> {
  const hasCredential =
    method === 'private_key_jwt' ? client.privateKey !== undefined : client.clientSecret !== undefined;
  if (method === 'none' || !hasCredential) {
    form.set('client_id', client.clientId);
    return undefined;
  }
  const origin = new URL(url).origin;
  const issuedHere = client.clientSecret !== undefined && issued.get(client.clientSecret) === origin;
  if (!credentialOrigins(context).has(origin) && !issuedHere) {
    return {
      kind: 'refused',
      why: `client credentials not sent: ${url} is outside the origins the target names (${[...credentialOrigins(context)].join(', ') || 'none'})`,
    };
  }
  if (method === 'private_key_jwt') {
    const assertion = await clientAssertion(client, context.discovery.values.issuer ?? url);
    if (typeof assertion !== 'string') return assertion;
    form.set('client_id', client.clientId);
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', assertion);
    return undefined;
  }
  if (method === 'client_secret_basic' || method === 'client_secret_basic_and_post') {
    headers.authorization = basicCredentials(client.clientId, client.clientSecret!);
  }
  if (method === 'client_secret_post' || method === 'client_secret_basic_and_post') {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret!);
  }
  return undefined;
}

/**
 * A private_key_jwt client assertion (RFC 7523 §3): iss and sub the client, aud the authorization
 * server's issuer, a fresh jti, one minute of validity.
 */
async function clientAssertion(client: ClientCredentials, audience: string): Promise<string | BuiltRequest> {
  const text = client.privateKey!.trim();
  let key: CryptoKey | Uint8Array;
  let alg = client.signingAlg;
  let kid: string | undefined;
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as JWK;
      alg ??= jwk.alg;
      kid = jwk.kid;
      if (!alg)
        return {
          kind: 'refused',
          why: 'the private_key_jwt client key names no "alg": set signing_alg in the target',
        };
      key = (await importJWK(jwk, alg)) as CryptoKey;
    } else {
      if (!alg) return { kind: 'refused', why: 'a PEM private_key_jwt key needs signing_alg in the target' };
      key = await importPKCS8(text, alg);
    }
  } catch {
    return {
      kind: 'refused',
      why: 'the private_key_jwt client key cannot be read as a private JWK or PKCS#8 PEM',
    };
  }
  return new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);
}

async function tokenRequest(
  spec: TokenSpec,
  context: RunContext,
  issued: IssuedSecrets,
): Promise<BuiltRequest> {
  const url = endpoint(spec.url, 'token_endpoint', context);
  if (typeof url !== 'string') return url;
  // a grant the server does not offer makes the step not applicable, never a failure of the server
  const offered = endpoint(undefined, 'grant_client_credentials', context);
  if (spec.grant === 'client_credentials' && typeof offered !== 'string') return offered;
  const client = resolveClient(spec, context);
  if ('kind' in client) return client;
  const form = new URLSearchParams({ grant_type: spec.grant });
  const headers: Record<string, string> = { accept: 'application/json' };
  const refused = await authenticateClient(
    client,
    spec.auth ?? client.authMethod,
    url,
    headers,
    form,
    context,
    issued,
  );
  if (refused) return refused;
  const secrets = form.has('client_assertion') ? { secrets: [form.get('client_assertion')!] } : {};
  for (const name of ['scope', 'code', 'code_verifier', 'redirect_uri', 'refresh_token'] as const) {
    if (spec[name] !== undefined) form.set(name, spec[name]);
  }
  for (const resource of [spec.resource ?? []].flat()) form.append('resource', resource);
  for (const [name, value] of Object.entries(spec.params ?? {})) form.append(name, value);
  const timeout = spec.timeout_ms ? { timeoutMs: spec.timeout_ms } : {};
  if (spec.method === 'GET') {
    const target = new URL(url);
    for (const [name, value] of form) target.searchParams.append(name, value);
    return { kind: 'send', ...secrets, request: { method: 'GET', url: target.href, headers, ...timeout } };
  }
  headers['content-type'] = 'application/x-www-form-urlencoded';
  return {
    kind: 'send',
    ...secrets,
    request: { method: 'POST', url, headers, body: form.toString(), ...timeout },
  };
}

let jsonRpcId = 0;

function mcpRequest(spec: McpSpec, context: RunContext): BuiltRequest {
  const url = endpoint(spec.url, 'mcp_url', context);
  if (typeof url !== 'string') return url;
  const headers = { ...mcpRequestHeaders(spec.protocol_version ?? MCP_PROTOCOL_VERSION) };
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name.toLowerCase()] = value;
  let token = spec.token;
  if (token !== undefined && spec.alter_token) {
    token = alterToken(token, spec.alter_token);
    if (token === undefined) {
      return {
        kind: 'missing',
        name: 'a JWT access token',
        why: `"${spec.alter_token}" alters JWTs and the token is not one`,
      };
    }
  }
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (spec.session !== undefined) headers['mcp-session-id'] = spec.session;
  const body = {
    jsonrpc: '2.0',
    id: ++jsonRpcId,
    method: spec.method,
    ...(spec.params ? { params: spec.params } : {}),
  };
  return jsonPost(url, headers, body, spec.timeout_ms);
}

function registrationRequest(spec: RegisterSpec, context: RunContext): BuiltRequest {
  if (context.target.registration?.enabled === false) {
    return {
      kind: 'missing',
      name: 'target.registration.enabled',
      why: 'the target declares registration disabled',
    };
  }
  const url = endpoint(spec.url, 'registration_endpoint', context);
  if (typeof url !== 'string') return url;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (spec.initial_access_token !== undefined) headers.authorization = `Bearer ${spec.initial_access_token}`;
  return jsonPost(url, headers, spec.metadata, spec.timeout_ms);
}

function jsonPost(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs?: number,
): BuiltRequest {
  return {
    kind: 'send',
    request: {
      method: 'POST',
      url,
      headers,
      body: JSON.stringify(body),
      ...(timeoutMs ? { timeoutMs } : {}),
    },
  };
}
