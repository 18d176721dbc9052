import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserInputError, type UserProblem } from '../errors.js';
import { type BrowserSettings, type ConsentSettings, readBrowserSettings } from './browser-script.js';
import { validateAgainstSchema } from './schema-validation.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret?: string;
  authMethod: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  /** for private_key_jwt: a private JWK (JSON) or PKCS#8 PEM, and its JWS algorithm */
  privateKey?: string;
  signingAlg?: string;
  /** a redirect URI registered for the client, for authorization-code flows */
  redirectUri?: string;
}

/** What the target says about its dynamic client registration (RFC 7591). */
export interface RegistrationPolicy {
  /** false: no dynamic registration offered */
  enabled: boolean;
  /** redirect URI patterns registration accepts ("*" = any run of characters) */
  allowedRedirectUris?: string[];
}

/** Where the suite's client document host listens, how the AS reaches it, and its TLS material. */
export interface ClientDocumentHost {
  bind: string;
  port: number;
  /** https://BIND:PORT unless the target names a loopback name such as https://localhost:PORT */
  baseUrl: string;
  certPem: string;
  keyPem: string;
}

export interface ExpectedFailure {
  id: string;
  reason: string;
}

/** A target with every `${env:...}` resolved. Values listed in `secrets` never reach any output. */
export interface Target {
  name: string;
  issuer?: string;
  mcp?: { url: string; resource: string; other_resource?: string };
  caPem?: string;
  clients: {
    confidential?: ClientCredentials;
    private_key_jwt?: ClientCredentials;
    short_lived?: ClientCredentials;
    /** a pre-registered public client (no secret, authentication method none) */
    public?: ClientCredentials;
    /** the resource server's credentials at the introspection endpoint (RFC 7662 §2.1) */
    introspection?: ClientCredentials;
  };
  /** a tool guarded by an RFC 9470 authentication requirement, if the target declares one */
  stepUp?: { tool: string; acrValues?: string; maxAge?: number };
  /** the dynamic registration policy the target declares, if any */
  registration?: RegistrationPolicy;
  /** the scopes that matter for token tests */
  scopes: { base?: string; restricted_tool?: string; restricted_scope?: string };
  options: {
    timeoutMs: number;
    maxResponseBytes: number;
    scopeErrorStyle: 'http-403' | 'jsonrpc';
    /** an origin (scheme://host[:port]) of a browser-based client the servers allow, as the target declares it */
    corsOrigin?: string;
  };
  /** how a browser gets through the authorization server's login and consent pages */
  browser?: BrowserSettings;
  /** the consent behaviour the authorization server promises */
  consent?: ConsentSettings;
  /** the client document host the suite runs for client ID metadata documents, when the target declares one */
  cimd?: ClientDocumentHost;
  expectedFailures: ExpectedFailure[];
  secrets: string[];
  /** where it came from, for messages */
  source: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/**
 * The origin cross-origin probes send when the target declares none: a reserved name (RFC 2606) no
 * deployment serves, standing for "some browser-based client".
 */
export const DEFAULT_CORS_ORIGIN = 'https://browser-client.example';

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function loadTargetFile(path: string, env: NodeJS.ProcessEnv = process.env): Target {
  const file = readYamlFile(path);
  validateAgainstSchema(file, 'target.v1.json');
  return buildTarget(file, dirname(resolve(path)), env);
}

function buildTarget(file: YamlFile, baseDirectory: string, env: NodeJS.ProcessEnv): Target {
  const problems: UserProblem[] = [];
  const secrets: string[] = [];
  const resolveEnv = (value: string, path: (string | number)[]): string =>
    value.replace(ENV_REFERENCE, (_, name: string) => {
      const resolved = env[name];
      if (resolved === undefined || resolved === '') {
        problems.push({ message: `environment variable ${name} is not set`, position: file.locate(path) });
        return '';
      }
      secrets.push(resolved);
      return resolved;
    });
  const raw = file.value as {
    name?: string;
    issuer?: string;
    mcp?: { url: string; resource?: string; other_resource?: string };
    tls?: { ca_file?: string; ca_pem?: string };
    clients?: {
      confidential?: {
        client_id: string;
        client_secret?: string;
        auth_method?: ClientCredentials['authMethod'];
        redirect_uri?: string;
      };
      private_key_jwt?: { client_id: string; private_key: string; signing_alg?: string };
      short_lived?: {
        client_id: string;
        client_secret?: string;
        auth_method?: ClientCredentials['authMethod'];
      };
      public?: { client_id: string };
      introspection?: {
        client_id: string;
        client_secret?: string;
        auth_method?: ClientCredentials['authMethod'];
      };
    };
    registration?: { enabled?: boolean; allowed_redirect_uris?: string[] };
    step_up?: { tool: string; acr_values?: string; max_age?: number };
    options?: {
      timeout_ms?: number;
      max_response_bytes?: number;
      scope_error_style?: 'http-403' | 'jsonrpc';
      cors_origin?: string;
    };
    scopes?: Target['scopes'];
    expected_failures?: ExpectedFailure[];
    cimd?: RawClientDocumentHost;
  } & Parameters<typeof readBrowserSettings>[1];
  let caPem = raw.tls?.ca_pem;
  if (raw.tls?.ca_file) {
    try {
      caPem = readFileSync(resolve(baseDirectory, raw.tls.ca_file), 'utf8');
    } catch {
      problems.push({
        message: `cannot read CA file "${raw.tls.ca_file}"`,
        position: file.locate(['tls', 'ca_file']),
      });
    }
  }
  const cimd = raw.cimd && readClientDocumentHost(raw.cimd, file, baseDirectory, problems);
  const confidential = raw.clients?.confidential;
  const jwtClient = raw.clients?.private_key_jwt;
  const shortLived = raw.clients?.short_lived;
  const publicClient = raw.clients?.public;
  const introspection = raw.clients?.introspection;
  type SecretClientEntry = {
    client_id: string;
    client_secret?: string;
    auth_method?: ClientCredentials['authMethod'];
    redirect_uri?: string;
  };
  const secretClient = (entry: SecretClientEntry, role: string): ClientCredentials => ({
    clientId: resolveEnv(entry.client_id, ['clients', role, 'client_id']),
    ...(entry.client_secret
      ? { clientSecret: resolveEnv(entry.client_secret, ['clients', role, 'client_secret']) }
      : {}),
    authMethod: entry.auth_method ?? (entry.client_secret ? 'client_secret_basic' : 'none'),
    ...(entry.redirect_uri
      ? { redirectUri: resolveEnv(entry.redirect_uri, ['clients', role, 'redirect_uri']) }
      : {}),
  });
  const target: Target = {
    name: raw.name ?? raw.mcp?.url ?? raw.issuer ?? 'target',
    ...(raw.issuer ? { issuer: resolveEnv(raw.issuer, ['issuer']) } : {}),
    ...(raw.mcp
      ? {
          mcp: {
            url: resolveEnv(raw.mcp.url, ['mcp', 'url']),
            resource: resolveEnv(raw.mcp.resource ?? raw.mcp.url, [
              'mcp',
              raw.mcp.resource ? 'resource' : 'url',
            ]),
            ...(raw.mcp.other_resource
              ? { other_resource: resolveEnv(raw.mcp.other_resource, ['mcp', 'other_resource']) }
              : {}),
          },
        }
      : {}),
    ...(caPem ? { caPem } : {}),
    clients: {
      ...(confidential ? { confidential: secretClient(confidential, 'confidential') } : {}),
      ...(shortLived ? { short_lived: secretClient(shortLived, 'short_lived') } : {}),
      ...(publicClient
        ? {
            public: {
              clientId: resolveEnv(publicClient.client_id, ['clients', 'public', 'client_id']),
              authMethod: 'none' as const,
            },
          }
        : {}),
      ...(introspection ? { introspection: secretClient(introspection, 'introspection') } : {}),
      ...(jwtClient
        ? {
            private_key_jwt: {
              clientId: resolveEnv(jwtClient.client_id, ['clients', 'private_key_jwt', 'client_id']),
              privateKey: resolveEnv(jwtClient.private_key, ['clients', 'private_key_jwt', 'private_key']),
              ...(jwtClient.signing_alg ? { signingAlg: jwtClient.signing_alg } : {}),
              authMethod: 'private_key_jwt' as const,
            },
          }
        : {}),
    },
    ...(raw.registration
      ? {
          registration: {
            enabled: raw.registration.enabled ?? true,
            ...(raw.registration.allowed_redirect_uris
              ? { allowedRedirectUris: raw.registration.allowed_redirect_uris }
              : {}),
          },
        }
      : {}),
    ...(raw.step_up
      ? {
          stepUp: {
            tool: raw.step_up.tool,
            ...(raw.step_up.acr_values !== undefined ? { acrValues: raw.step_up.acr_values } : {}),
            ...(raw.step_up.max_age !== undefined ? { maxAge: raw.step_up.max_age } : {}),
          },
        }
      : {}),
    scopes: raw.scopes ?? {},
    options: {
      timeoutMs: raw.options?.timeout_ms ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: raw.options?.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      scopeErrorStyle: raw.options?.scope_error_style ?? 'http-403',
      ...(raw.options?.cors_origin
        ? { corsOrigin: resolveEnv(raw.options.cors_origin, ['options', 'cors_origin']) }
        : {}),
    },
    ...readBrowserSettings(file, raw, resolveEnv, problems),
    ...(cimd ? { cimd } : {}),
    expectedFailures: raw.expected_failures ?? [],
    secrets,
    source: file.file,
  };
  if (problems.length) throw new UserInputError(problems);
  return target;
}

/** The target file's `cimd` section, as written. */
interface RawClientDocumentHost {
  bind?: string;
  port: number;
  base_url?: string;
  tls: { cert_file?: string; key_file?: string; cert_pem?: string; key_pem?: string };
}

function readClientDocumentHost(
  raw: RawClientDocumentHost,
  file: YamlFile,
  baseDirectory: string,
  problems: UserProblem[],
): ClientDocumentHost | undefined {
  const read = (name: 'cert_file' | 'key_file'): string | undefined => {
    const path = raw.tls[name];
    if (path === undefined) return undefined;
    try {
      return readFileSync(resolve(baseDirectory, path), 'utf8');
    } catch {
      problems.push({
        message: `cannot read ${name === 'cert_file' ? 'certificate' : 'key'} file "${path}"`,
        position: file.locate(['cimd', 'tls', name]),
      });
      return undefined;
    }
  };
  const certPem = raw.tls.cert_pem ?? read('cert_file');
  const keyPem = raw.tls.key_pem ?? read('key_file');
  if (certPem === undefined || keyPem === undefined) return undefined;
  const bind = raw.bind ?? '127.0.0.1';
  const host = bind.includes(':') ? `[${bind}]` : bind;
  return { bind, port: raw.port, baseUrl: raw.base_url ?? `https://${host}:${raw.port}`, certPem, keyPem };
}

/** A target for `--url`: an MCP server alone, its authorization server found by discovery. */
export function targetFromUrl(url: string): Target {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UserInputError(`--url: "${url}" is not an absolute http(s) URL`);
  }
  return {
    name: url,
    mcp: { url, resource: url },
    clients: {},
    scopes: {},
    options: {
      timeoutMs: DEFAULT_TIMEOUT_MS,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      scopeErrorStyle: 'http-403',
    },
    expectedFailures: [],
    secrets: [],
    source: '--url',
  };
}
