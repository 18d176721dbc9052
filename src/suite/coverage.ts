import type { CatalogEntry } from './catalog.js';
import type { RequirementRegistry } from './requirements.js';

/** One spec's requirement ids: those some assertion cites, those none does, those not judged black-box. */
export interface SpecCoverage {
  spec: string;
  covered: string[];
  uncovered: string[];
  /** registry rows with `black_box: false`: only a manual review can judge them */
  notBlackBox: string[];
}

/** Requirement id → the `suite/assertion` ids of every assertion in the catalog that cites it. */
export function catalogCitations(catalog: readonly CatalogEntry[]): Map<string, string[]> {
  const cited = new Map<string, string[]>();
  for (const { suite } of catalog) {
    for (const step of suite.steps) {
      for (const assertion of step.expect) {
        for (const id of assertion.requirements)
          cited.set(id, [...(cited.get(id) ?? []), `${suite.id}/${assertion.id}`]);
      }
    }
  }
  return cited;
}

/** Per spec of the registry (in its order), which requirement ids the citations cover; empty specs left out. */
export function coverageBySpec(
  registry: Pick<RequirementRegistry, 'requirements' | 'specs'>,
  cited: ReadonlyMap<string, readonly string[]>,
  onlySpec?: string,
): SpecCoverage[] {
  return [...registry.specs.keys()]
    .filter((spec) => !onlySpec || spec === onlySpec)
    .map((spec) => {
      const requirements = [...registry.requirements.values()].filter((r) => r.spec === spec);
      const ids = requirements.map((r) => r.id);
      return {
        spec,
        covered: ids.filter((id) => cited.has(id)),
        uncovered: ids.filter((id) => !cited.has(id)),
        notBlackBox: requirements.filter((r) => !r.black_box).map((r) => r.id),
      };
    })
    .filter((row) => row.covered.length + row.uncovered.length > 0);
}
