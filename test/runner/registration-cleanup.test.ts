/**
 * The clients the RFC 7591 suite registers are deleted again at the end of the run (RFC 7592 §2.3).
 * The CLI runs against a reference target this test owns, so the target outlives the run and the test
 * can check afterwards, at the authorization server, that every registered client is gone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ReferenceHooks,
  type ReferenceTarget,
  startReferenceTarget,
} from '../../fixtures/reference/index.js';
import { type CliResult, runCli } from '../cli/run-cli.js';
import { basicAuthorization, ReferenceClient } from '../fixtures/reference-client.js';
import { writeReferenceTargetFile } from './reference-target-file.js';

const SUITE = 'rfc7591-dynamic-client-registration';
/** oidc-provider's registration route; client configuration URIs are below it */
const REGISTRATION_PATH = '/reg';
const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

interface Results {
  results: { suite: string; id: string; outcome: string; expectedFailure?: string }[];
  exchanges: Record<
    string,
    { request: { method: string; url: string }; response?: { status: number; body: string } }
  >;
  leftoverClients: { clientId: string; reason: string }[];
}

/** What the authorization server handed out, seen from inside it: never printed. */
interface IssuedRegistration {
  clientSecret?: string;
  registrationAccessToken: string;
  registrationClientUri: string;
}

describe(`${SUITE}: registered clients are deleted at the end of the run`, () => {
  const issued = new Map<string, IssuedRegistration>();
  const deleteStatuses = new Map<string, number>();
  let target: ReferenceTarget;
  let client: ReferenceClient;
  let work: string;
  let run: CliResult;
  let results: Results;
  let registeredIds: string[];
  let issuedDuringRun: string[];

  // Test-only observer in front of oidc-provider: it records what each registration issued and how
  // each RFC 7592 DELETE was answered, without changing any response.
  const observeRegistrations: NonNullable<ReferenceHooks['iam']> = async (ctx, next) => {
    const { method, path } = ctx;
    await next();
    if (method === 'POST' && path === REGISTRATION_PATH && ctx.status === 201) {
      const body = ctx.body as Record<string, unknown>;
      issued.set(String(body.client_id), {
        ...(typeof body.client_secret === 'string' ? { clientSecret: body.client_secret } : {}),
        registrationAccessToken: String(body.registration_access_token),
        registrationClientUri: String(body.registration_client_uri),
      });
    }
    if (method === 'DELETE' && path.startsWith(`${REGISTRATION_PATH}/`)) {
      deleteStatuses.set(decodeURIComponent(path.slice(REGISTRATION_PATH.length + 1)), ctx.status);
    }
  };

  /** A token request the AS can only answer invalid_client if the client does not exist (any more). */
  async function tokenRequestAs(clientId: string) {
    const secret = issued.get(clientId)?.clientSecret;
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'mcp-conformance-unknown-code',
      code_verifier: 'a'.repeat(43),
      redirect_uri: REDIRECT_URI,
    });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (secret) headers.authorization = basicAuthorization(clientId, secret);
    else form.set('client_id', clientId);
    const response = await client.send(`${target.issuer}/token`, {
      method: 'POST',
      headers,
      body: form.toString(),
    });
    return { status: response.status, error: (response.json as { error?: unknown } | undefined)?.error };
  }

  /** RFC 7592 §2.1 read with the registration access token the client was issued. */
  async function readStatus(clientId: string): Promise<number> {
    const registration = issued.get(clientId)!;
    const response = await client.send(registration.registrationClientUri, {
      headers: { authorization: `Bearer ${registration.registrationAccessToken}` },
    });
    return response.status;
  }

  beforeAll(async () => {
    target = await startReferenceTarget({ hooks: { iam: observeRegistrations } });
    client = new ReferenceClient(target);
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-registration-'));
    const file = writeReferenceTargetFile(work, target, {
      name: 'reference target owned by the registration clean-up test',
      expectedFailures: true,
    });
    run = await runCli(
      ['run', '--target', file.path, '--suite', SUITE, '--reporter', 'json', '--out', join(work, 'report')],
      { env: file.env },
    );
    issuedDuringRun = [...issued.keys()];
    results = JSON.parse(readFileSync(join(work, 'report', 'results.json'), 'utf8')) as Results;
    const registrationEndpoint = `${target.issuer}${REGISTRATION_PATH}`;
    registeredIds = Object.values(results.exchanges)
      .filter(
        (exchange) =>
          exchange.request.method === 'POST' &&
          exchange.request.url === registrationEndpoint &&
          (exchange.response?.status === 200 || exchange.response?.status === 201),
      )
      .map((exchange) => String((JSON.parse(exchange.response!.body) as { client_id?: unknown }).client_id));
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await target?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs the suite with no failure beyond the expected ones', () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const unexpected = results.results.filter(
      (r) => (r.outcome === 'failed' || r.outcome === 'error') && !r.expectedFailure,
    );
    expect(unexpected).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('records every client the authorization server registered, with its secrets redacted', () => {
    expect(registeredIds.length).toBeGreaterThanOrEqual(5);
    expect(new Set(registeredIds).size).toBe(registeredIds.length);
    expect([...issuedDuringRun].sort()).toEqual([...registeredIds].sort());
    const report = JSON.stringify(results);
    const leaked = [...issued.values()].filter(
      (registration) =>
        report.includes(registration.registrationAccessToken) ||
        (registration.clientSecret !== undefined && report.includes(registration.clientSecret)),
    );
    expect(leaked.length).toBe(0);
  });

  it('reports no leftover client', () => {
    expect(results.leftoverClients).toEqual([]);
  });

  it('deleted each registered client with an RFC 7592 DELETE answered 204', () => {
    const statuses = Object.fromEntries(registeredIds.map((id) => [id, deleteStatuses.get(id)]));
    expect(statuses).toEqual(Object.fromEntries(registeredIds.map((id) => [id, 204])));
  });

  it('leaves no registered client usable: token requests get invalid_client, reads get 401', async () => {
    for (const id of registeredIds) {
      expect({ id, ...(await tokenRequestAs(id)) }).toEqual({ id, status: 401, error: 'invalid_client' });
      expect({ id, read: await readStatus(id) }).toEqual({ id, read: 401 });
    }
  });

  it('tells an existing client from a deleted one (control: clients registered here and kept)', async () => {
    const controls: string[] = [];
    for (const metadata of [
      { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
      { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'client_secret_basic' },
    ]) {
      const response = await client.send(`${target.issuer}${REGISTRATION_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(metadata),
      });
      expect(response.status).toBe(201);
      controls.push(String((response.json as { client_id: unknown }).client_id));
    }
    for (const id of controls) {
      const answer = await tokenRequestAs(id);
      expect(answer.error).not.toBe('invalid_client');
      expect(answer.status).toBe(400);
      expect(await readStatus(id)).toBe(200);
    }
  });
});
