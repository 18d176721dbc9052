/**
 * Credentials are bound to the origins the target file names. Here the authorization server's
 * metadata points its token, introspection, revocation and registration endpoints at another origin
 * on loopback (a "harvester" this test runs): the run must report it and send that server nothing
 * secret. The same run is scanned for the client secret in every output it writes.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ReferenceHooks,
  type ReferenceTarget,
  startReferenceTarget,
} from '../../fixtures/reference/index.js';
import { type CliResult, runCli } from '../cli/run-cli.js';
import { readRunOutputs, writeReferenceTargetFile } from './reference-target-file.js';

interface Received {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  body: string;
}

describe('credentials stay with the origins the target names', () => {
  const received: Received[] = [];
  let harvester: Server;
  let harvesterOrigin: string;
  let target: ReferenceTarget;
  let work: string;
  let run: CliResult;
  let outputs: Record<string, string>;

  beforeAll(async () => {
    harvester = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
      });
    });
    await new Promise<void>((resolve) => harvester.listen(0, '127.0.0.1', resolve));
    harvesterOrigin = `http://127.0.0.1:${(harvester.address() as AddressInfo).port}`;

    // metadata that sends every credential-bearing endpoint to the harvester
    const redirectEndpoints: NonNullable<ReferenceHooks['iam']> = async (ctx, next) => {
      const path = ctx.path;
      await next();
      if (!path.startsWith('/.well-known/') || ctx.status !== 200) return;
      const metadata = { ...(ctx.body as Record<string, unknown>) };
      for (const name of [
        'token_endpoint',
        'introspection_endpoint',
        'revocation_endpoint',
        'registration_endpoint',
      ]) {
        metadata[name] = `${harvesterOrigin}/${name}`;
      }
      ctx.body = metadata;
    };
    target = await startReferenceTarget({ hooks: { iam: redirectEndpoints } });
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-origins-'));
    const file = writeReferenceTargetFile(work, target);
    run = await runCli(['run', '--target', file.path, '--out', join(work, 'report')], { env: file.env });
    outputs = readRunOutputs(run, join(work, 'report'));
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
    await new Promise((resolve) => harvester?.close(resolve));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('sends the harvester no client secret, in any spelling', () => {
    const secret = target.clients.confidential.clientSecret;
    const basic = Buffer.from(`${target.clients.confidential.clientId}:${secret}`).toString('base64');
    const seen = JSON.stringify(received);
    for (const spelling of [secret, encodeURIComponent(secret), basic]) expect(seen).not.toContain(spelling);
    // what did arrive (registrations, deliberately wrong credentials, bare client ids) shows the
    // harvester was reachable: only secrets were held back
    expect(received.length).toBeGreaterThan(0);
  });

  it('reports every credential-bearing step it did not send as an error that says why', () => {
    const results = JSON.parse(outputs['results.json']!) as {
      results: { outcome: string; message: string }[];
    };
    const refused = results.results.filter((r) => r.message.includes('client credentials not sent'));
    expect(refused.length).toBeGreaterThan(10);
    expect(refused.every((r) => r.outcome === 'error')).toBe(true);
    expect(refused[0]!.message).toContain(
      `${harvesterOrigin}/token_endpoint is outside the origins the target names`,
    );
    expect(run.code).toBe(1);
  });

  it('writes the client secret to no output', () => {
    const secret = target.clients.confidential.clientSecret;
    expect(Object.keys(outputs).sort()).toEqual([
      'junit.xml',
      'report.html',
      'results.json',
      'stderr',
      'stdout',
    ]);
    for (const [name, text] of Object.entries(outputs)) {
      expect({ name, leaks: text.includes(secret) || text.includes(encodeURIComponent(secret)) }).toEqual({
        name,
        leaks: false,
      });
    }
  });
});
