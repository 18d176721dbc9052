import type { Outcome } from '../src/engine/verdict.js';
import type { ResultEntry, RunReport } from '../src/runner/run-report.js';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const COLORS: Record<Outcome, number> = {
  passed: 32,
  failed: 31,
  warning: 33,
  info: 36,
  skipped: 90,
  error: 35,
};
const SYMBOLS: Record<Outcome, string> = {
  passed: '✓',
  failed: '✗',
  warning: '!',
  info: 'i',
  skipped: '-',
  error: 'E',
};

export function outcomeCounts(results: readonly { outcome: Outcome }[]): string {
  const counts = new Map<Outcome, number>();
  for (const { outcome } of results) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return (['passed', 'failed', 'warning', 'info', 'skipped', 'error'] as const)
    .filter((outcome) => counts.get(outcome))
    .map((outcome) => paint(COLORS[outcome], `${counts.get(outcome)} ${outcome}`))
    .join(', ');
}

/** One line per suite as it finishes, for progress on long runs. */
export function renderSuiteProgress(suiteId: string, results: readonly { outcome: Outcome }[]): string {
  const worst =
    (['error', 'failed', 'warning'] as const).find((o) => results.some((r) => r.outcome === o)) ??
    (results.every((r) => r.outcome === 'skipped') ? 'skipped' : 'passed');
  return `${paint(COLORS[worst], SYMBOLS[worst])} ${suiteId.padEnd(44)} ${outcomeCounts(results)}`;
}

/** The end-of-run summary: every problem in detail, then totals by suite and by severity. */
export function renderConsoleSummary(report: RunReport, outDirectory?: string): string {
  const lines: string[] = [''];
  const broken = report.results.filter(
    (r) => r.outcome === 'failed' || r.outcome === 'warning' || r.outcome === 'info',
  );
  for (const result of broken) lines.push(...describe(result), '');
  lines.push(...describeErrors(report.results.filter((r) => r.outcome === 'error')));
  const skipped = report.results.filter((r) => r.outcome === 'skipped');
  if (skipped.length) {
    const reasons = new Map<string, number>();
    for (const r of skipped)
      reasons.set(`${r.suite}: ${r.message}`, (reasons.get(`${r.suite}: ${r.message}`) ?? 0) + 1);
    lines.push(paint(90, 'Skipped (not applicable):'));
    for (const [reason, n] of reasons) lines.push(paint(90, `  ${n} × ${reason}`));
    lines.push('');
  }
  for (const problem of report.problems) lines.push(paint(35, `problem: ${problem}`));
  for (const left of report.leftoverClients) {
    lines.push(
      paint(33, `registered client left on the server: ${left.clientId} (${left.suite}): ${left.reason}`),
    );
  }
  for (const entry of report.staleExpectedFailures) {
    lines.push(
      paint(31, `stale expected failure: ${entry.id} now passes; remove it from the expected failures`),
    );
  }
  lines.push('By suite:');
  const suites = [...new Set(report.results.map((r) => r.suite))];
  for (const suite of suites)
    lines.push(
      `  ${renderSuiteProgress(
        suite,
        report.results.filter((r) => r.suite === suite),
      )}`,
    );
  lines.push('', 'By severity:');
  for (const severity of ['failure', 'warning', 'info'] as const) {
    const results = report.results.filter((r) => r.severity === severity);
    if (results.length) lines.push(`  ${severity.padEnd(8)} ${outcomeCounts(results)}`);
  }
  const executed = report.results.filter((r) => r.outcome !== 'skipped').length;
  lines.push(
    '',
    `${report.results.length} assertions, ${executed} executed: ${outcomeCounts(report.results)}` +
      (report.expectedFailures ? ` (${report.expectedFailures} expected failures)` : '') +
      ` in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  if (outDirectory) lines.push(`Reports written to ${outDirectory}`);
  return `${lines.join('\n')}\n`;
}

/** Errors usually share one cause (an unreachable server): one block per cause, not per assertion. */
function describeErrors(errors: readonly ResultEntry[]): string[] {
  const byCause = new Map<string, ResultEntry[]>();
  for (const error of errors) {
    const cause = error.message.replace(/^step "[^"]*" \([^)]*\) got no response: /, '');
    byCause.set(cause, [...(byCause.get(cause) ?? []), error]);
  }
  const lines: string[] = [];
  for (const [cause, entries] of byCause) {
    lines.push(
      paint(COLORS.error, `${SYMBOLS.error} ${entries.length} assertion(s) could not be evaluated: ${cause}`),
    );
    const suites = new Map<string, number>();
    for (const entry of entries) suites.set(entry.suite, (suites.get(entry.suite) ?? 0) + 1);
    lines.push(`  in ${[...suites].map(([suite, n]) => `${suite} (${n})`).join(', ')}`);
    if (entries.length === 1) lines.push(`  ${entries[0]!.location}: ${entries[0]!.suite}/${entries[0]!.id}`);
    lines.push('');
  }
  return lines;
}

function describe(result: ResultEntry): string[] {
  const tag = result.expectedFailure ? `${result.outcome}, expected` : result.outcome;
  const lines = [
    `${paint(COLORS[result.outcome], `${SYMBOLS[result.outcome]} ${result.suite}/${result.id}`)} (${tag}) ${paint(90, result.requirements.join(' '))}`,
    `  ${result.location}: ${result.message}`,
  ];
  if (result.expected !== undefined) lines.push(`  expected: ${JSON.stringify(result.expected)}`);
  if (result.actual !== undefined) lines.push(`  actual:   ${JSON.stringify(result.actual)}`);
  if (result.expectedFailure) lines.push(`  expected failure: ${result.expectedFailure}`);
  else lines.push(`  fix: ${result.hint}`);
  return lines;
}
