/**
 * The client ID metadata document suite through the CLI with a target file, as a user would run it:
 * with a `cimd` section the suite's document host serves the documents the reference authorization
 * server fetches; without one, every step that needs the host is not applicable, with the reason.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceTarget, startReferenceTarget } from '../../fixtures/reference/index.js';
import { runCli } from '../cli/run-cli.js';
import { writeReferenceTargetFile } from './reference-target-file.js';

const SUITE = 'cimd-client-documents';

interface Results {
  results: { id: string; outcome: string; message: string }[];
  /** every exchange by its qualified id (suite:id) */
  exchanges: Record<string, { inbound?: boolean; request: { url: string } }>;
}

describe(`${SUITE} with a target file`, () => {
  const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-cimd-'));
  let target: ReferenceTarget;
  beforeAll(async () => {
    target = await startReferenceTarget();
  });
  afterAll(async () => {
    await target?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const runSuite = async (name: string, clientDocuments: boolean) => {
    const directory = join(work, name);
    mkdirSync(directory);
    const file = writeReferenceTargetFile(directory, target, { clientDocuments, expectedFailures: true });
    const run = await runCli(
      ['run', '--target', file.path, '--suite', SUITE, '--reporter', 'json', '--out', join(directory, 'out')],
      { env: file.env },
    );
    const report = JSON.parse(readFileSync(join(directory, 'out', 'results.json'), 'utf8')) as Results;
    return { run, report, byId: new Map(report.results.map((r) => [r.id, r])) };
  };

  it('serves the documents, records the fetches as inbound exchanges and judges the refusals', {
    timeout: 60_000,
  }, async () => {
    const { run, report, byId } = await runSuite('with-host', true);
    expect(run.code).toBe(0);
    for (const id of [
      'valid-document-fetched',
      'client-id-trailing-slash-refused',
      'redirect-uri-not-listed-refused',
      'error-response-not-cached-fetched-again',
      'undeclared-loopback-host-not-fetched',
      'oversized-document-refused',
    ])
      expect(byId.get(id)?.outcome, id).toBe('passed');
    // the target file has no browser script, so the browser flow and its redemption are not applicable
    expect(byId.get('document-client-code-issued')?.outcome).toBe('skipped');
    const inbound = Object.values(report.exchanges).filter((exchange) => exchange.inbound);
    expect(inbound.map((exchange) => exchange.request.url)).toContain(
      `https://127.0.0.1:${target.clientDocumentHost.port}/cimd/client.json`,
    );
  });

  it('without a cimd section, the steps that need the host are not applicable, with the reason', {
    timeout: 60_000,
  }, async () => {
    const { run, byId } = await runSuite('without-host', false);
    expect(run.code).toBe(0);
    expect(byId.get('metadata-advertises-client-documents')?.outcome).toBe('passed');
    expect(byId.get('client-id-trailing-slash-refused')).toMatchObject({
      outcome: 'skipped',
      message: 'needs cimd.base_url: the target declares no client document host (cimd)',
    });
    expect([...byId.values()].filter((r) => r.outcome === 'passed').map((r) => r.id)).toEqual([
      'metadata-advertises-client-documents',
      'metadata-client-documents-flag-is-boolean',
    ]);
  });
});
