import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { packagePath } from '../package-root.js';
import type { RunReport } from '../runner/run-report.js';
import { validateAgainstSchema } from './schema-validation.js';
import type { ExpectedFailure } from './target.js';
import { readYamlFile } from './yaml-file.js';

/** Reads a baseline file: the expected failures a CI accepts for now, each with its reason. */
export function loadBaseline(path: string): ExpectedFailure[] {
  const file = readYamlFile(path);
  validateAgainstSchema(file, 'baseline.v1.json');
  return (file.value as { expected_failures: ExpectedFailure[] }).expected_failures;
}

/**
 * Writes the run's failures and warnings as a baseline. Entries that were already expected keep their
 * reason; new ones say when they were recorded and what failed, to be replaced by a real reason.
 */
export function writeBaseline(path: string, report: RunReport, known: readonly ExpectedFailure[]): number {
  const reasons = new Map(known.map((entry) => [entry.id, entry.reason]));
  const day = report.startedAt.slice(0, 10);
  const entries = report.results
    .filter((r) => r.outcome === 'failed' || r.outcome === 'warning')
    .map((r) => {
      const id = `${r.suite}/${r.id}`;
      return { id, reason: reasons.get(id) ?? `recorded ${day}: ${r.message}` };
    });
  // the schema the package ships, relative to the file, so an editor finds it without a network
  const schema = relative(dirname(resolve(path)), packagePath('config', 'schemas', 'baseline.v1.json'))
    .split(sep)
    .join('/');
  const header = `# yaml-language-server: $schema=${schema}\n`;
  writeFileSync(
    path,
    header +
      stringify({ schema: 'mcp-conformance/baseline/v1', expected_failures: entries }, { lineWidth: 0 }),
  );
  return entries.length;
}
