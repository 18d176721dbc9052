import type { RecordedExchange } from '../engine/exchange.js';
import { OUTCOMES, type Outcome, type Verdict } from '../engine/verdict.js';
import { formatPosition } from '../errors.js';
import type { ExpectedFailure } from '../suite/target.js';

/**
 * One result per assertion: the stable contract of results.json (see README "results.json").
 * `expected`/`actual` appear only when the assertion did not pass.
 */
export interface ResultEntry {
  suite: string;
  id: string;
  requirements: string[];
  severity: Verdict['severity'];
  outcome: Outcome;
  message: string;
  expected?: unknown;
  actual?: unknown;
  hint: string;
  location: string;
  step: string;
  /** the target's expected-failures entry that covers this result, with its reason */
  expectedFailure?: string;
  /** ids into RunReport.exchanges */
  exchanges: string[];
  /** files a browser step kept: screenshots, and the Playwright trace of a failed flow */
  artifacts?: string[];
}

export type Summary = Record<Outcome, number>;

export interface RunReport {
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  target: { name: string; issuer?: string; mcpUrl?: string };
  profile: string;
  /** with --shard: which shard of the run this report holds, e.g. "1/3" */
  shard?: string;
  summary: Summary;
  /** failed or warning results covered by an expected-failures entry (counted in summary too) */
  expectedFailures: number;
  /** expected-failures entries whose assertion now passes */
  staleExpectedFailures: ExpectedFailure[];
  results: ResultEntry[];
  exchanges: Record<string, RecordedExchange>;
  /** problems outside any assertion */
  problems: string[];
  /** clients registered during the run that could not be deleted, with the reason */
  leftoverClients: { suite: string; clientId: string; reason: string }[];
  /** milliseconds each suite took (its tests and hooks) */
  suiteDurations: Record<string, number>;
}

export function emptySummary(): Summary {
  return Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Summary;
}

export function buildReport(input: {
  verdicts: Verdict[];
  problems: string[];
  leftoverClients?: RunReport['leftoverClients'];
  suiteDurations?: Record<string, number>;
  /** every exchange of each suite, including steps without assertions */
  suiteExchanges?: Record<string, RecordedExchange[]>;
  expectedFailures: ExpectedFailure[];
  tool: RunReport['tool'];
  startedAt: Date;
  target: RunReport['target'];
  profile: string;
  shard?: string;
}): RunReport {
  const summary = emptySummary();
  const exchanges: Record<string, RecordedExchange> = {};
  const expected = new Map(input.expectedFailures.map((entry) => [entry.id, entry]));
  const stale: ExpectedFailure[] = [];
  let expectedFailures = 0;
  const results = input.verdicts.map((verdict): ResultEntry => {
    summary[verdict.outcome]++;
    const exchangeIds = verdict.exchanges.map((exchange) => {
      const key = `${verdict.suite}:${exchange.id}`;
      exchanges[key] ??= { ...exchange, id: key };
      return key;
    });
    const entry = expected.get(`${verdict.suite}/${verdict.id}`);
    const covered = entry && (verdict.outcome === 'failed' || verdict.outcome === 'warning');
    if (covered) expectedFailures++;
    if (entry && verdict.outcome === 'passed') stale.push(entry);
    return {
      suite: verdict.suite,
      id: verdict.id,
      requirements: verdict.requirements,
      severity: verdict.severity,
      outcome: verdict.outcome,
      message: verdict.message,
      ...(verdict.expected !== undefined ? { expected: verdict.expected } : {}),
      ...(verdict.actual !== undefined ? { actual: verdict.actual } : {}),
      hint: verdict.hint,
      location: formatPosition(verdict.position),
      step: verdict.step,
      ...(covered ? { expectedFailure: entry.reason } : {}),
      exchanges: exchangeIds,
      ...(verdict.artifacts?.length ? { artifacts: verdict.artifacts } : {}),
    };
  });
  for (const [suite, list] of Object.entries(input.suiteExchanges ?? {})) {
    for (const exchange of list)
      exchanges[`${suite}:${exchange.id}`] ??= { ...exchange, id: `${suite}:${exchange.id}` };
  }
  results.sort(
    (a, b) =>
      a.suite.localeCompare(b.suite) || a.location.localeCompare(b.location, undefined, { numeric: true }),
  );
  return {
    tool: input.tool,
    startedAt: input.startedAt.toISOString(),
    durationMs: Date.now() - input.startedAt.getTime(),
    target: input.target,
    profile: input.profile,
    ...(input.shard ? { shard: input.shard } : {}),
    summary,
    expectedFailures,
    staleExpectedFailures: stale,
    results,
    exchanges,
    problems: input.problems,
    leftoverClients: input.leftoverClients ?? [],
    suiteDurations: input.suiteDurations ?? {},
  };
}

/** 1 when anything at or above the fail-on level broke (beyond expected failures), else 0. */
export function exitCodeFor(report: RunReport, failOn: 'failure' | 'warning'): 0 | 1 {
  const gating = report.results.filter(
    (r) =>
      !r.expectedFailure &&
      (r.outcome === 'failed' || r.outcome === 'error' || (failOn === 'warning' && r.outcome === 'warning')),
  );
  return gating.length > 0 || report.staleExpectedFailures.length > 0 || report.problems.length > 0 ? 1 : 0;
}
