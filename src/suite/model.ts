import type { SourcePosition } from '../errors.js';

export type Severity = 'failure' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['failure', 'warning', 'info'];

export type Query =
  | { kind: 'status' }
  | { kind: 'header'; name: string }
  /** every response header, names lower-cased, repeated fields joined by ', ' */
  | { kind: 'headers' }
  | { kind: 'json'; path: string }
  | { kind: 'body' }
  | { kind: 'url' }
  /** the Location header as an absolute URL, or one parameter of its query or fragment */
  | { kind: 'location'; param?: string; in?: 'query' | 'fragment' }
  | { kind: 'capture'; name: string }
  | { kind: 'challenge'; scheme: string; param?: string }
  | { kind: 'discovery'; name: string }
  | { kind: 'jwt'; capture: string; path?: string }
  /** the requests the client document host received during the step at this URL (its query ignored) */
  | { kind: 'fetches'; url: string };

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export type Predicate =
  | { kind: 'equals'; value: unknown }
  | { kind: 'notEquals'; value: unknown }
  | { kind: 'matches'; pattern: string }
  | { kind: 'contains'; value: unknown }
  | { kind: 'oneOf'; values: unknown[] }
  | { kind: 'exists' }
  | { kind: 'absent' }
  | { kind: 'type'; type: JsonType }
  | { kind: 'count'; min?: number; max?: number }
  | { kind: 'each'; inner: Predicate }
  | { kind: 'some'; inner: Predicate }
  | { kind: 'schema'; schema: Record<string, unknown> }
  | { kind: 'check'; name: string; args: Record<string, unknown> };

export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_basic_and_post'
  | 'private_key_jwt'
  | 'none';

/** The target clients a step can authenticate as. */
export type ClientRole = 'confidential' | 'private_key_jwt' | 'short_lived' | 'public' | 'introspection';

export interface HttpRequestSpec {
  method: string;
  url: string;
  /** query parameters appended to `url`, form-urlencoded by the engine */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
  /** authenticate a client on this (form) request: a method for the target's client, or explicit credentials */
  client_auth?:
    | ClientAuthMethod
    | { method?: ClientAuthMethod; client?: ClientRole; client_id?: string; client_secret?: string };
  follow_redirects?: boolean;
  timeout_ms?: number;
  max_bytes?: number;
}

/** A token endpoint request built from a target client (RFC 6749 §4, OAuth 2.1 §3.2). */
export interface TokenSpec {
  grant: string;
  client?: ClientRole;
  client_id?: string;
  client_secret?: string;
  auth?: ClientAuthMethod;
  scope?: string;
  resource?: string | string[];
  code?: string;
  code_verifier?: string;
  redirect_uri?: string;
  refresh_token?: string;
  params?: Record<string, string>;
  url?: string;
  method?: 'POST' | 'GET';
  timeout_ms?: number;
}

/** An MCP JSON-RPC request over Streamable HTTP. */
export interface McpSpec {
  method: string;
  params?: Record<string, unknown>;
  token?: string;
  /** send a forged variant of `token` instead */
  alter_token?: 'alg-none' | 'tampered-payload' | 'no-signature' | 'wrong-signature';
  url?: string;
  protocol_version?: string;
  /** an Mcp-Session-Id to send */
  session?: string;
  headers?: Record<string, string>;
  timeout_ms?: number;
}

/** An RFC 7591 client registration request. */
export interface RegisterSpec {
  metadata: Record<string, unknown>;
  url?: string;
  initial_access_token?: string;
  timeout_ms?: number;
}

/** An authorization-code request through the browser (OAuth 2.1 §4.1, RFC 7636). */
export interface AuthorizeSpec {
  client?: 'confidential';
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  resource?: string | string[];
  state?: string;
  pkce?: 'S256' | 'plain' | 'none';
  code_verifier?: string;
  params?: Record<string, string>;
  omit?: string[];
  consent?: 'approve' | 'deny';
  /** a browser session shared by the suite's steps of that name */
  session?: string;
  url?: string;
  timeout_ms?: number;
}

/** The target's consent-revocation script, in a browser session. */
export interface RevokeConsentSpec {
  session?: string;
  /** the client whose consent is revoked, for scripts that name it (`{{client.id}}`) */
  client_id?: string;
  timeout_ms?: number;
}

export type StepAction =
  | { kind: 'request'; spec: HttpRequestSpec }
  | { kind: 'token'; spec: TokenSpec }
  | { kind: 'mcp'; spec: McpSpec }
  | { kind: 'register'; spec: RegisterSpec }
  | { kind: 'authorize'; spec: AuthorizeSpec }
  | { kind: 'revoke_consent'; spec: RevokeConsentSpec };

/** Step kinds that drive the browser. */
export const BROWSER_STEP_KINDS: readonly StepAction['kind'][] = ['authorize', 'revoke_consent'];

/** How many of a suite's steps drive the browser. */
export function browserStepCount(suite: Pick<Suite, 'steps'>): number {
  return suite.steps.filter((step) => BROWSER_STEP_KINDS.includes(step.action.kind)).length;
}

/**
 * A client metadata document the suite's document host serves (draft-ietf-oauth-client-id-metadata-document):
 * at `path`, from the suite's start or from its step on, until a later definition of the same path.
 * `{{ cimd.document_url }}` in it is its own URL.
 */
export interface ClientDocumentSpec {
  path: string;
  /** default 200 */
  status?: number;
  headers?: Record<string, string>;
  /** the document as JSON (content-type application/json unless `headers` says otherwise) */
  json?: unknown;
  /** the body as raw text, for documents that are not JSON */
  body?: string;
  /** spaces appended to the body until it has this many bytes (still the same JSON) */
  pad_to_bytes?: number;
}

export interface Assertion {
  id: string;
  title?: string;
  requirements: string[];
  severity: Severity;
  /** when it does not pass, the step's later assertions are skipped with that reason */
  gate: boolean;
  /** values looked up after the step ran; a missing one makes the assertion not applicable */
  needs: string[];
  hint: string;
  query: Query;
  predicate: Predicate;
  position: SourcePosition;
}

export interface Step {
  id: string;
  title?: string;
  needs: string[];
  /** wait this long before sending */
  delay_ms?: number;
  action: StepAction;
  /** documents the client document host serves from this step on */
  documents: ClientDocumentSpec[];
  capture: Record<string, Query>;
  expect: Assertion[];
  position: SourcePosition;
}

export interface Suite {
  id: string;
  title: string;
  spec: string;
  description?: string;
  needs: string[];
  /** documents the client document host serves from the suite's first step on */
  documents: ClientDocumentSpec[];
  steps: Step[];
  /** the file as the user would name it (relative to the working directory or the package) */
  file: string;
  position: SourcePosition;
}

/** The id used in baselines, profiles and `--grep`: suite id and assertion id joined by a slash. */
export function qualifiedId(suiteId: string, assertionId: string): string {
  return `${suiteId}/${assertionId}`;
}
