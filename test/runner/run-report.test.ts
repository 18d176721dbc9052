import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/engine/verdict.js';
import { buildReport, exitCodeFor } from '../../src/runner/run-report.js';

function verdict(
  id: string,
  outcome: Verdict['outcome'],
  severity: Verdict['severity'] = 'failure',
): Verdict {
  return {
    suite: 's',
    id,
    step: 'step',
    requirements: ['REQ'],
    severity,
    outcome,
    message: outcome,
    hint: 'h',
    position: { file: 'f.yaml', line: 1, column: 1 },
    exchanges: [],
  };
}

function report(
  verdicts: Verdict[],
  expectedFailures: { id: string; reason: string }[] = [],
  problems: string[] = [],
) {
  return buildReport({
    verdicts,
    problems,
    expectedFailures,
    tool: { name: 'mcp-conformance', version: '0' },
    startedAt: new Date(),
    target: { name: 't' },
    profile: 'p',
  });
}

describe('run report and exit code', () => {
  it('counts every outcome', () => {
    const built = report([
      verdict('a', 'passed'),
      verdict('b', 'failed'),
      verdict('c', 'skipped'),
      verdict('d', 'warning', 'warning'),
    ]);
    expect(built.summary).toEqual({ passed: 1, failed: 1, warning: 1, info: 0, skipped: 1, error: 0 });
  });

  it('exits 0 when only warnings, infos and skips occur, unless warnings gate', () => {
    const built = report([
      verdict('a', 'passed'),
      verdict('w', 'warning', 'warning'),
      verdict('i', 'info', 'info'),
      verdict('s', 'skipped'),
    ]);
    expect(exitCodeFor(built, 'failure')).toBe(0);
    expect(exitCodeFor(built, 'warning')).toBe(1);
  });

  it('exits 1 on a failure or an assertion that could not be evaluated', () => {
    expect(exitCodeFor(report([verdict('a', 'failed')]), 'failure')).toBe(1);
    expect(exitCodeFor(report([verdict('a', 'error')]), 'failure')).toBe(1);
    expect(exitCodeFor(report([verdict('a', 'passed')], [], ['module crashed']), 'failure')).toBe(1);
  });

  it('does not gate on an expected failure, and marks it with its reason', () => {
    const built = report([verdict('a', 'failed')], [{ id: 's/a', reason: 'known upstream bug' }]);
    expect(built.results[0]!.expectedFailure).toBe('known upstream bug');
    expect(built.expectedFailures).toBe(1);
    expect(exitCodeFor(built, 'failure')).toBe(0);
  });

  it('fails the run when an expected failure now passes (stale entry)', () => {
    const built = report([verdict('a', 'passed')], [{ id: 's/a', reason: 'fixed since' }]);
    expect(built.staleExpectedFailures).toEqual([{ id: 's/a', reason: 'fixed since' }]);
    expect(exitCodeFor(built, 'failure')).toBe(1);
  });

  it('ignores expected failures for assertions that did not run', () => {
    const built = report(
      [verdict('a', 'skipped')],
      [
        { id: 's/a', reason: 'x' },
        { id: 's/z', reason: 'y' },
      ],
    );
    expect(built.staleExpectedFailures).toEqual([]);
    expect(exitCodeFor(built, 'failure')).toBe(0);
  });
});
