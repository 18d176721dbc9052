import { UserInputError } from '../errors.js';
import { emptySummary, type RunReport } from './run-report.js';

/**
 * One report from the reports of a sharded run (`run --shard i/n`, each with its own `--out`): results,
 * exchanges, problems and durations together, counts summed. Refuses shards of different runs
 * (profile or target), a shard given twice, and an incomplete set of shards — a merge that silently
 * lacked a shard would look like a clean run.
 */
export function mergeRunReports(reports: { source: string; report: RunReport }[]): RunReport {
  const [first] = reports;
  if (!first) throw new UserInputError('merge needs at least one report directory');
  const problems: string[] = [];
  for (const { source, report } of reports.slice(1)) {
    if (report.profile !== first.report.profile)
      problems.push(
        `${source}: profile "${report.profile}" differs from "${first.report.profile}" in ${first.source}`,
      );
    if (report.target.name !== first.report.target.name)
      problems.push(
        `${source}: target "${report.target.name}" differs from "${first.report.target.name}" in ${first.source}`,
      );
  }
  const shards = reports.map(({ source, report }) => ({ source, shard: report.shard }));
  const counts = new Set(shards.map(({ shard }) => shard?.split('/')[1]));
  if (counts.size > 1)
    problems.push(
      `the reports come from runs with different shard counts (${shards.map((s) => s.shard ?? 'unsharded').join(', ')})`,
    );
  else {
    const count = Number([...counts][0]);
    const seen = new Map<string, string>();
    for (const { source, shard } of shards) {
      if (!shard) continue;
      const other = seen.get(shard);
      if (other) problems.push(`${source}: shard ${shard} is also in ${other}`);
      seen.set(shard, source);
    }
    if (count) {
      const missing = Array.from({ length: count }, (_, i) => `${i + 1}/${count}`).filter(
        (s) => !seen.has(s),
      );
      if (missing.length)
        problems.push(`shard ${missing.join(', ')} missing: every shard's report is needed`);
    }
  }
  const owner = new Map<string, string>();
  for (const { source, report } of reports) {
    for (const suite of new Set(report.results.map((r) => r.suite))) {
      const other = owner.get(suite);
      if (other && other !== source) problems.push(`${source}: suite "${suite}" is also in ${other}`);
      owner.set(suite, source);
    }
  }
  if (problems.length) throw new UserInputError([...new Set(problems)].map((message) => ({ message })));

  const summary = emptySummary();
  for (const { report } of reports)
    for (const [outcome, n] of Object.entries(report.summary)) summary[outcome as keyof typeof summary] += n;
  const starts = reports.map(({ report }) => Date.parse(report.startedAt));
  const ends = reports.map(({ report }) => Date.parse(report.startedAt) + report.durationMs);
  const stale = new Map(
    reports.flatMap(({ report }) => report.staleExpectedFailures.map((e) => [e.id, e] as const)),
  );
  const results = reports.flatMap(({ report }) => report.results);
  results.sort(
    (a, b) =>
      a.suite.localeCompare(b.suite) || a.location.localeCompare(b.location, undefined, { numeric: true }),
  );
  const { shard: _shard, ...base } = first.report;
  return {
    ...base,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    summary,
    expectedFailures: reports.reduce((n, { report }) => n + report.expectedFailures, 0),
    staleExpectedFailures: [...stale.values()],
    results,
    exchanges: Object.assign({}, ...reports.map(({ report }) => report.exchanges)),
    problems: reports.flatMap(({ report }) => report.problems),
    leftoverClients: reports.flatMap(({ report }) => report.leftoverClients),
    suiteDurations: Object.assign({}, ...reports.map(({ report }) => report.suiteDurations)),
  };
}
