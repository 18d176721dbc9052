/**
 * Sharding: two shards of a `--url` run on a reference target this test owns, merged, give the same
 * reports as one unsharded run; more shards than suite files, and incomplete merges, are refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceTarget, startReferenceTarget } from '../../fixtures/reference/index.js';
import { type CliResult, runCli } from './run-cli.js';

interface Results {
  shard?: string;
  summary: Record<string, number>;
  results: { suite: string; id: string; outcome: string }[];
  exchanges: Record<string, unknown>;
}

const read = (directory: string) =>
  JSON.parse(readFileSync(join(directory, 'results.json'), 'utf8')) as Results;
const outcomes = (results: Results) =>
  Object.fromEntries(results.results.map((r) => [`${r.suite}/${r.id}`, r.outcome]));

describe('--shard and merge', () => {
  let reference: ReferenceTarget;
  let work: string;
  let args: (out: string) => string[];
  let whole: CliResult;
  let merged: CliResult;

  beforeAll(async () => {
    reference = await startReferenceTarget();
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-shards-'));
    writeFileSync(join(work, 'ca.pem'), reference.caPem);
    args = (out) => [
      'run',
      '--url',
      reference.mcpUrl,
      '--ca',
      join(work, 'ca.pem'),
      '--har',
      '--out',
      join(work, out),
    ];
    whole = await runCli(args('whole'));
    await runCli([...args('shard-1'), '--shard', '1/2']);
    await runCli([...args('shard-2'), '--shard', '2/2']);
    merged = await runCli([
      'merge',
      join(work, 'shard-1'),
      join(work, 'shard-2'),
      '--out',
      join(work, 'merged'),
    ]);
  }, 240_000);

  afterAll(async () => {
    await reference?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('each shard runs part of the suites', () => {
    const [one, two] = [read(join(work, 'shard-1')), read(join(work, 'shard-2'))];
    expect([one.shard, two.shard]).toEqual(['1/2', '2/2']);
    const suitesOf = (r: Results) => new Set(r.results.map((x) => x.suite));
    expect(suitesOf(one).size).toBeGreaterThan(0);
    expect(suitesOf(two).size).toBeGreaterThan(0);
    expect([...suitesOf(one)].filter((s) => suitesOf(two).has(s))).toEqual([]);
  });

  it('the merged results equal the unsharded run: counts, outcomes, exchanges, exit code', () => {
    expect(merged.stderr).toBe('');
    const [full, combined] = [read(join(work, 'whole')), read(join(work, 'merged'))];
    expect(combined.summary).toEqual(full.summary);
    expect(combined.summary.passed).toBeGreaterThan(40);
    expect(outcomes(combined)).toEqual(outcomes(full));
    expect(Object.keys(combined.exchanges).sort()).toEqual(Object.keys(full.exchanges).sort());
    expect(combined.shard).toBeUndefined();
    expect(merged.code).toBe(whole.code);
  });

  it('rebuilds every report: console summary, junit.xml, report.html, exchanges.har', () => {
    const totals = (text: string) =>
      text.match(/\n(\d+ assertions, \d+ executed: [^\n]+) in [\d.]+ s\n/)?.[1];
    expect(totals(merged.stdout)).toBeDefined();
    expect(totals(merged.stdout)).toBe(totals(whole.stdout));
    const testcases = (dir: string) =>
      readFileSync(join(work, dir, 'junit.xml'), 'utf8').match(/<testcase /g)?.length;
    expect(testcases('merged')).toBe(testcases('whole'));
    const harEntries = (dir: string) =>
      (JSON.parse(readFileSync(join(work, dir, 'exchanges.har'), 'utf8')) as { log: { entries: unknown[] } })
        .log.entries.length;
    expect(harEntries('merged')).toBe(harEntries('whole'));
    const rows = (dir: string) =>
      readFileSync(join(work, dir, 'report.html'), 'utf8').match(/data-outcome="/g)?.length;
    expect(rows('merged')).toBe(rows('whole'));
  });

  it('refuses a merge that lacks a shard, or gets one twice', async () => {
    expect(await runCli(['merge', join(work, 'shard-1'), '--out', join(work, 'partial')])).toMatchObject({
      code: 2,
      stderr: "mcp-conformance: shard 2/2 missing: every shard's report is needed\n",
    });
    const twice = await runCli([
      'merge',
      join(work, 'shard-1'),
      join(work, 'shard-1'),
      '--out',
      join(work, 'twice'),
    ]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(
      `mcp-conformance: ${join(work, 'shard-1')}: shard 1/2 is also in ${join(work, 'shard-1')}\n`,
    );
    expect(existsSync(join(work, 'partial'))).toBe(false);
    expect(await runCli(['merge', join(work, 'nowhere'), '--out', join(work, 'x')])).toMatchObject({
      code: 2,
      stderr: `mcp-conformance: ${join(work, 'nowhere')}: no results.json (run each shard with the json reporter)\n`,
    });
  }, 30_000);

  it('refuses more shards than selected suite files, before starting anything', async () => {
    const suites = (await runCli(['list', '--profile', 'mcp-2025-11-25'])).stdout.match(/(\d+) suites,/)?.[1];
    const count = Number(suites);
    expect(count).toBeGreaterThan(10);
    const shard = `${count + 1}/${count + 1}`;
    expect(await runCli(['run', '--shard', shard, '--out', join(work, 'too-many')])).toMatchObject({
      code: 2,
      stderr: `mcp-conformance: --shard ${shard}: ${count + 1} shards for ${count} selected suite files; vitest shards by file, so use at most ${count} shards\n`,
    });
    expect(
      await runCli([
        'run',
        '--suite',
        'rfc6750-bearer-challenge',
        '--shard',
        '1/2',
        '--out',
        join(work, 'too-many'),
      ]),
    ).toMatchObject({
      code: 2,
      stderr:
        'mcp-conformance: --shard 1/2: 2 shards for 1 selected suite file; vitest shards by file, so use at most 1 shard\n',
    });
    expect(await runCli(['run', '--shard', '3/2'])).toMatchObject({
      code: 2,
      stderr: 'mcp-conformance: --shard 3/2: the shard index is greater than the shard count\n',
    });
  }, 30_000);
});
