/**
 * Baselines: a CI records the failures it accepts for now (--write-baseline), gates on everything
 * else (--baseline), and learns when an accepted failure is fixed (a stale entry fails the run).
 * Runs `--url` against a reference target this test owns: with no target file, the reference's known
 * findings fail the run until a baseline accepts them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type ReferenceTarget, startReferenceTarget } from '../../fixtures/reference/index.js';
import { runCli } from './run-cli.js';

describe('--baseline and --write-baseline', () => {
  let target: ReferenceTarget;
  let work: string;
  let args: string[];

  beforeAll(async () => {
    target = await startReferenceTarget();
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-baseline-'));
    writeFileSync(join(work, 'ca.pem'), target.caPem);
    args = [
      'run',
      '--url',
      target.mcpUrl,
      '--ca',
      join(work, 'ca.pem'),
      '--reporter',
      'json',
      '--out',
      join(work, 'report'),
    ];
  });

  afterAll(async () => {
    await target?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('records the failures, accepts them next time, and fails on a stale entry', async () => {
    const first = await runCli([...args, '--write-baseline', join(work, 'baseline.yaml')]);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/baseline with \d+ expected failures written to /);
    const baseline = parse(readFileSync(join(work, 'baseline.yaml'), 'utf8')) as {
      schema: string;
      expected_failures: { id: string; reason: string }[];
    };
    expect(baseline.schema).toBe('mcp-conformance/baseline/v1');
    // the editor finds the schema the package ships, relative to the file
    const comment = /^# yaml-language-server: \$schema=(\S+)\n/.exec(
      readFileSync(join(work, 'baseline.yaml'), 'utf8'),
    );
    expect(resolve(work, comment![1]!)).toBe(
      fileURLToPath(new URL('../../config/schemas/baseline.v1.json', import.meta.url)),
    );
    expect(baseline.expected_failures.length).toBeGreaterThan(0);
    expect(baseline.expected_failures[0]!.reason).toMatch(/^recorded \d{4}-\d{2}-\d{2}: /);

    const second = await runCli([...args, '--baseline', join(work, 'baseline.yaml')]);
    expect(second.code).toBe(0);

    // an entry for an assertion that passes: the failure it accepted is gone, so the run says so
    const stale = {
      ...baseline,
      expected_failures: [
        ...baseline.expected_failures,
        { id: 'rfc8414-authorization-server-metadata/issuer-equals-well-known-base', reason: 'fixed since' },
      ],
    };
    writeFileSync(join(work, 'stale.yaml'), stringify(stale));
    const third = await runCli([
      ...args,
      '--baseline',
      join(work, 'stale.yaml'),
      '--reporter',
      'console,json',
    ]);
    expect(third.code).toBe(1);
    expect(third.stdout).toContain(
      'stale expected failure: rfc8414-authorization-server-metadata/issuer-equals-well-known-base now passes; remove it from the expected failures',
    );
  }, 120_000);

  it('refuses a malformed baseline with its position', async () => {
    writeFileSync(
      join(work, 'bad.yaml'),
      'schema: mcp-conformance/baseline/v1\nexpected_failures:\n  - id: not an id\n',
    );
    const result = await runCli([...args, '--baseline', join(work, 'bad.yaml')]);
    expect(result.code).toBe(2);
    const file = join(work, 'bad.yaml');
    expect(result.stderr).toBe(
      `mcp-conformance: ${file}:3:5: missing required key "reason" in "expected_failures"\n` +
        `mcp-conformance: ${file}:3:9: "id" must be a qualified assertion id, "suite-id/assertion-id"\n`,
    );
  });
});
