import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Har } from '../../reporters/har.js';
import type { ResultsFile } from '../../reporters/json.js';
import { REQUIREMENT_STATUSES } from '../../src/runner/run-coverage.js';
import { type CliResult, runCli } from '../cli/run-cli.js';

const OUTCOMES = ['passed', 'failed', 'warning', 'info', 'skipped', 'error'] as const;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe('one run: results.json, junit.xml, report.html and exchanges.har agree', () => {
  let out: string;
  let run: CliResult;
  let results: ResultsFile;
  let junit: string;
  let html: string;
  let har: Har;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'mcp-conformance-outputs-'));
    run = await runCli(['run', '--out', out, '--har']);
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    html = readFileSync(join(out, 'report.html'), 'utf8');
    har = JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as Har;
  }, 120_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes all four files by default plus the HAR', () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code, run.stdout).toBe(0);
    expect(results.results.length).toBeGreaterThan(60);
  });

  it('counts the same assertions in each', () => {
    const total = results.results.length;
    expect(OUTCOMES.reduce((sum, outcome) => sum + results.summary[outcome], 0)).toBe(total);
    expect(count(junit, /<testcase /g)).toBe(total);
    expect(count(html, /<details class="result [a-z]+" id="r\d+" data-outcome="/g)).toBe(total);
    expect(count(html, /data-outcome="/g)).toBe(total);
  });

  it('counts the same outcomes in each', () => {
    for (const outcome of OUTCOMES) {
      const n = results.results.filter((r) => r.outcome === outcome).length;
      expect(results.summary[outcome], outcome).toBe(n);
      expect(count(html, new RegExp(`data-outcome="${outcome}"`, 'g')), `report.html ${outcome}`).toBe(n);
      expect(html, `report.html total ${outcome}`).toContain(`<b>${n}</b> ${outcome}</li>`);
      expect(
        count(junit, new RegExp(`<property name="outcome" value="${outcome}"/>`, 'g')),
        `junit ${outcome}`,
      ).toBe(n);
    }
    // JUnit has no warning or expected-failure outcome: an expected failure is not a <failure>
    const unexpectedFailures = results.results.filter(
      (r) => r.outcome === 'failed' && !r.expectedFailure,
    ).length;
    expect(count(junit, /<failure /g)).toBe(unexpectedFailures);
    expect(count(junit, /<skipped /g)).toBe(results.summary.skipped);
    expect(count(junit, /<error /g)).toBe(results.summary.error);
    expect(html).toContain(
      `<b>${results.expectedFailures}</b> expected failure${results.expectedFailures === 1 ? '' : 's'}</li>`,
    );
  });

  it('has the same requirement matrix in results.json and report.html, built from the results', () => {
    const { coverage } = results;
    for (const status of REQUIREMENT_STATUSES) {
      const n = coverage.requirements.filter((r) => r.status === status).length;
      expect(count(html, new RegExp(`<tr class="requirement" data-status="${status}"`, 'g')), status).toBe(n);
    }
    expect(count(html, /<tr class="requirement" /g)).toBe(coverage.requirements.length);
    // every result is in the matrix under each requirement it cites, with its outcome
    const byId = new Map(coverage.requirements.map((r) => [r.id, r]));
    for (const result of results.results) {
      for (const id of result.requirements) {
        expect(byId.get(id)?.assertions, id).toContainEqual(
          expect.objectContaining({ id: `${result.suite}/${result.id}`, outcome: result.outcome }),
        );
      }
    }
    const ran = coverage.requirements.filter((r) => r.assertions.some((a) => a.outcome !== 'not-run'));
    expect(coverage.specs.reduce((sum, spec) => sum + spec.ran, 0)).toBe(ran.length);
    expect(html).toContain(
      `${ran.length} of ${coverage.requirements.length} requirement ids checked in this run`,
    );
  });

  it('has one HAR entry per recorded exchange', () => {
    expect(har.log.entries).toHaveLength(Object.keys(results.exchanges).length);
    const ids = new Set(har.log.entries.map((entry) => entry._id));
    expect(ids).toEqual(new Set(Object.keys(results.exchanges)));
    // every exchange a verdict cites is there, and so are those of steps without assertions
    for (const id of results.results.flatMap((r) => r.exchanges)) expect(ids.has(id)).toBe(true);
  });

  it('stays small enough to archive and open', () => {
    // every exchange and screenshot is inside: the budget grows with the number of assertions
    expect(html.length / results.results.length).toBeLessThan(6 * 1024);
    expect(html.length).toBeLessThan(8 * 1024 * 1024);
  });
});
