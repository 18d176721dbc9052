import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConsoleSummary } from '../../reporters/console.js';
import { renderHar } from '../../reporters/har.js';
import { renderHtml } from '../../reporters/html.js';
import { renderJson } from '../../reporters/json.js';
import { renderJunit } from '../../reporters/junit.js';
import type { RunReport } from '../runner/run-report.js';
import { loadRequirementRegistry } from '../suite/requirements.js';

export const REPORTERS = ['console', 'junit', 'json', 'html'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** Writes the chosen reports of a run (or of merged shards) into `outDirectory`; the console one to stdout. */
export function writeReports(
  report: RunReport,
  outDirectory: string,
  reporters: readonly string[],
  har: boolean,
): void {
  mkdirSync(outDirectory, { recursive: true });
  if (reporters.includes('json')) writeFileSync(join(outDirectory, 'results.json'), renderJson(report));
  if (reporters.includes('junit')) writeFileSync(join(outDirectory, 'junit.xml'), renderJunit(report));
  if (reporters.includes('html')) {
    const registry = loadRequirementRegistry();
    const specTitles = Object.fromEntries([...registry.specs].map(([key, spec]) => [key, spec.title]));
    writeFileSync(
      join(outDirectory, 'report.html'),
      renderHtml(report, { linkFor: (id) => registry.linkFor(id), specTitles }),
    );
  }
  if (har) writeFileSync(join(outDirectory, 'exchanges.har'), renderHar(report));
  if (reporters.includes('console')) process.stdout.write(renderConsoleSummary(report, outDirectory));
}
