import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './run-cli.js';

interface Results {
  summary: Record<string, number>;
  results: { suite: string; id: string; outcome: string; requirements: string[]; expectedFailure?: string }[];
}

describe('mcp-conformance run (embedded reference target)', () => {
  let work: string;
  let run: CliResult;
  let results: Results;

  beforeAll(async () => {
    // a user's project with hostile vitest and vite configs, here and in the parent folder: the
    // run must use its own configuration and never load these
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-cli-'));
    const project = join(work, 'project');
    mkdirSync(project);
    const hostile = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(work, 'LOADED'))}, 'x');\nexport default { test: { include: ['nothing/**'], testTimeout: 1 } };\n`;
    for (const directory of [work, project]) {
      writeFileSync(join(directory, 'vitest.config.mjs'), hostile);
      writeFileSync(join(directory, 'vite.config.mjs'), hostile);
    }
    run = await runCli(['run', '--out', 'report'], { cwd: project });
    results = JSON.parse(readFileSync(join(project, 'report', 'results.json'), 'utf8')) as Results;
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('exits 0 with no failure beyond expected failures', () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const unexpected = results.results.filter(
      (r) =>
        (r.outcome === 'failed' || r.outcome === 'error' || r.outcome === 'warning') && !r.expectedFailure,
    );
    expect(unexpected).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('executes at least 60 assertions, each citing requirements', () => {
    const executed = results.results.filter((r) => r.outcome !== 'skipped');
    expect(executed.length).toBeGreaterThanOrEqual(60);
    expect(results.results.every((r) => r.requirements.length > 0)).toBe(true);
    const total = Object.values(results.summary).reduce((a, b) => a + b, 0);
    expect(total).toBe(results.results.length);
  });

  it('writes junit.xml with one testcase per assertion', () => {
    const junit = readFileSync(join(work, 'project', 'report', 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)?.length).toBe(results.results.length);
    expect(junit).toContain('<property name="requirement" value="RFC9728-3.3-resource-equal"/>');
  });

  it('prints progress and a summary by suite and severity', () => {
    expect(run.stderr).toMatch(/running \d+ suites \(profile mcp-2025-11-25\)/);
    expect(run.stdout).toContain('By suite:');
    expect(run.stdout).toContain('By severity:');
  });

  it('never loads the vitest or vite config of the folder it runs in, or of a parent folder', () => {
    expect(existsSync(join(work, 'LOADED'))).toBe(false);
  });

  it('keeps the reference client secret out of every output', () => {
    // the embedded target's secret is random per run; the redaction marker shows where it was removed
    const outputs = [
      run.stdout,
      run.stderr,
      readFileSync(join(work, 'project', 'report', 'results.json'), 'utf8'),
    ];
    for (const output of outputs) expect(output).not.toMatch(/client_secret=(?!\[redacted\])/);
  });
});
