import { loadCatalog } from '../suite/catalog.js';
import { catalogCitations, coverageBySpec } from '../suite/coverage.js';
import { loadRequirementRegistry } from '../suite/requirements.js';
import { parseOptions } from './main.js';

/** Per spec: which requirement ids some assertion cites, and which none does yet. */
export function coverageCommand(args: string[]): number {
  const { values } = parseOptions(args, { json: { type: 'boolean' }, spec: { type: 'string' } });
  const registry = loadRequirementRegistry();
  const cited = catalogCitations(loadCatalog());
  const rows = coverageBySpec(registry, cited, values.spec);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ specs: rows, assertionsByRequirement: Object.fromEntries(cited) }, null, 2)}\n`,
    );
    return 0;
  }
  let covered = 0;
  let total = 0;
  for (const row of rows) {
    const count = row.covered.length + row.uncovered.length;
    covered += row.covered.length;
    total += count;
    process.stdout.write(
      `${row.spec.padEnd(18)} ${String(row.covered.length).padStart(3)}/${String(count).padEnd(3)} covered\n`,
    );
    for (const id of row.covered) process.stdout.write(`  + ${id}  (${cited.get(id)!.length} assertions)\n`);
    for (const id of row.uncovered) process.stdout.write(`  - ${id}\n`);
  }
  process.stdout.write(`\n${covered} of ${total} requirements covered\n`);
  return 0;
}
