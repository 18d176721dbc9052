import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserInputError } from '../errors.js';
import { mergeRunReports } from '../runner/merge-reports.js';
import { exitCodeFor, type RunReport } from '../runner/run-report.js';
import { parseOptions } from './main.js';
import { REPORTERS, writeReports } from './write-reports.js';

export const MERGE_USAGE = `Usage: mcp-conformance merge DIR... --out DIR [--fail-on LEVEL]

Rebuilds every report (console summary, results.json, junit.xml, report.html, and exchanges.har when
the shards wrote one) from the output directories of a sharded run: each shard run with
"run --shard I/N --out DIR" and the json reporter (on by default). Exits like "run" would have.
`;

export function mergeCommand(args: string[]): number {
  const { values, positionals } = parseOptions(
    args,
    { out: { type: 'string' }, 'fail-on': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    process.stdout.write(MERGE_USAGE);
    return 0;
  }
  if (positionals.length === 0)
    throw new UserInputError('merge needs the output directories of the shards (see "merge --help")');
  if (!values.out) throw new UserInputError('merge needs --out DIR, where the merged reports go');
  const failOn = values['fail-on'] ?? 'failure';
  if (failOn !== 'failure' && failOn !== 'warning')
    throw new UserInputError('--fail-on must be "failure" or "warning"');
  const reports = positionals.map((directory) => ({ source: directory, report: readShardReport(directory) }));
  const merged = mergeRunReports(reports);
  const har = positionals.some((directory) => existsSync(join(directory, 'exchanges.har')));
  writeReports(merged, resolve(values.out), REPORTERS, har);
  return exitCodeFor(merged, failOn);
}

function readShardReport(directory: string): RunReport {
  const path = join(directory, 'results.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserInputError(`${directory}: no results.json (run each shard with the json reporter)`);
  }
  let report: RunReport;
  try {
    report = JSON.parse(text) as RunReport;
  } catch (error) {
    throw new UserInputError(`${path}: not JSON: ${(error as Error).message}`);
  }
  if (!report || typeof report !== 'object' || !Array.isArray(report.results) || !report.summary)
    throw new UserInputError(`${path}: not a results.json written by mcp-conformance run`);
  return report;
}
