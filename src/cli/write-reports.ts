import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConsoleSummary } from '../../reporters/console.js';
import { renderHar } from '../../reporters/har.js';
import { renderHtml } from '../../reporters/html.js';
import { renderJson } from '../../reporters/json.js';
import { renderJunit } from '../../reporters/junit.js';
import { runCoverage } from '../runner/run-coverage.js';
import type { RunReport } from '../runner/run-report.js';
import { type CatalogEntry, loadCatalog } from '../suite/catalog.js';
import { catalogCitations } from '../suite/coverage.js';
import { loadRequirementRegistry } from '../suite/requirements.js';

export const REPORTERS = ['console', 'junit', 'json', 'html'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** Writes the chosen reports of a run (or of merged shards) into `outDirectory`; the console one to stdout. */
export function writeReports(
  report: RunReport,
  outDirectory: string,
  reporters: readonly string[],
  har: boolean,
  /** the suite catalog the run was selected from; loaded when not given */
  catalog: CatalogEntry[] = loadCatalog(),
): void {
  mkdirSync(outDirectory, { recursive: true });
  const registry = loadRequirementRegistry();
  // the requirement matrix: every registry row, with the outcomes of the assertions citing it
  const coverage = runCoverage(report.results, registry, catalogCitations(catalog));
  if (reporters.includes('json'))
    writeFileSync(join(outDirectory, 'results.json'), renderJson(report, coverage));
  if (reporters.includes('junit')) writeFileSync(join(outDirectory, 'junit.xml'), renderJunit(report));
  if (reporters.includes('html')) {
    const specTitles = Object.fromEntries([...registry.specs].map(([key, spec]) => [key, spec.title]));
    writeFileSync(
      join(outDirectory, 'report.html'),
      renderHtml(report, { linkFor: (id) => registry.linkFor(id), specTitles, coverage }),
    );
  }
  if (har) writeFileSync(join(outDirectory, 'exchanges.har'), renderHar(report));
  if (reporters.includes('console')) process.stdout.write(renderConsoleSummary(report, outDirectory));
}
