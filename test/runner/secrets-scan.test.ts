/**
 * A full run against a reference target this test owns, with every client the target file can name,
 * every reporter and the HAR. An observer in front of the authorization server records every
 * credential it hands out during the run (access, refresh and registration tokens, client secrets);
 * then every output — console, results.json, junit.xml, report.html, exchanges.har, file names — is
 * scanned for those values and for the target's own secrets, in every spelling a request can carry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardAsFormPost, readForm } from '../../fixtures/faults/token-endpoint-faults.js';
import {
  type ReferenceHooks,
  type ReferenceTarget,
  startReferenceTarget,
} from '../../fixtures/reference/index.js';
import { type CliResult, runCli } from '../cli/run-cli.js';
import { readRunOutputs, writeReferenceTargetFile } from './reference-target-file.js';

const CREDENTIAL_MEMBERS = [
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'registration_access_token',
];

describe('no secret reaches any output', () => {
  const issued = new Set<string>();
  let target: ReferenceTarget;
  let work: string;
  let run: CliResult;
  let outputs: Record<string, string>;
  let targetSecrets: string[];

  // records what the authorization server issues and the PKCE verifiers it is shown, without changing
  // anything: codes in redirects, session cookies, tokens and secrets in JSON bodies
  const observeCredentials: NonNullable<ReferenceHooks['iam']> = async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token') {
      const form = await readForm(ctx);
      const verifier = form.get('code_verifier');
      // the suite's deliberately wrong verifier is a literal in its file, not a secret
      if (verifier && !verifier.startsWith('mcp-conformance-')) issued.add(verifier);
      forwardAsFormPost(ctx, form, ctx.url);
    }
    await next();
    const location = ctx.response.get('location');
    const code = location ? URL.parse(location, ctx.href)?.searchParams.get('code') : null;
    if (code) issued.add(code);
    for (const cookie of [ctx.response.headers['set-cookie'] ?? []].flat()) {
      const [, name = '', value = ''] = /^([^=]+)=([^;]*)/.exec(String(cookie)) ?? [];
      // the interaction cookies carry the interaction id, which the login page's URL shows by design
      if (value.length >= 8 && !name.startsWith('_interaction')) issued.add(value);
    }
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) return;
    for (const name of CREDENTIAL_MEMBERS)
      if (typeof body[name] === 'string') issued.add(body[name] as string);
  };

  beforeAll(async () => {
    target = await startReferenceTarget({ hooks: { iam: observeCredentials } });
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-secrets-'));
    const privateKey = JSON.stringify(target.clients.privateKeyJwt.privateJwk);
    targetSecrets = [
      target.clients.confidential.clientSecret,
      target.clients.shortLived.clientSecret,
      privateKey,
      String(target.clients.privateKeyJwt.privateJwk.d),
      target.user.password,
    ];
    const file = writeReferenceTargetFile(work, target, {
      allClients: true,
      expectedFailures: true,
      browser: {},
    });
    run = await runCli(['run', '--target', file.path, '--har', '--out', join(work, 'report')], {
      env: file.env,
    });
    outputs = readRunOutputs(run, join(work, 'report'));
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ran the token-bearing suites, so there was something to leak', () => {
    expect(run.code).toBe(0);
    const names = Object.keys(outputs);
    expect(names.filter((name) => !name.startsWith('browser/')).sort()).toEqual([
      'exchanges.har',
      'junit.xml',
      'report.html',
      'results.json',
      'stderr',
      'stdout',
    ]);
    // the browser flows ran: their consent screenshots are outputs too (file names are scanned below)
    expect(names.filter((name) => /^browser\/.+\.jpg$/.test(name)).length).toBeGreaterThan(2);
    // access tokens, registration tokens, registered clients' secrets, codes, verifiers, cookies
    expect(issued.size).toBeGreaterThan(40);
  });

  it('writes no issued credential and no target secret anywhere, in any spelling', () => {
    const spellings = (value: string) => [
      value,
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
    ];
    const leaks: string[] = [];
    for (const secret of [...issued, ...targetSecrets]) {
      for (const spelling of spellings(secret)) {
        for (const [name, text] of Object.entries(outputs)) {
          if (text.includes(spelling) || name.includes(spelling))
            leaks.push(`${name} holds a secret of ${secret.length} characters`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('keeps the Authorization header schemes but not their credentials', () => {
    const har = JSON.parse(outputs['exchanges.har']!) as {
      log: { entries: { request: { headers: { name: string; value: string }[] } }[] };
    };
    const authorizations = har.log.entries.flatMap((entry) =>
      entry.request.headers
        .filter((header) => header.name.toLowerCase() === 'authorization')
        .map((header) => header.value),
    );
    expect(authorizations.length).toBeGreaterThan(10);
    // a credential-less header ("Bearer" alone) is masked whole
    for (const value of authorizations) expect(value).toMatch(/^((Basic|Bearer|bearer) )?\[redacted\]$/);
  });
});
