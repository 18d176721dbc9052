import type { Outcome } from '../engine/verdict.js';
import { coverageBySpec } from '../suite/coverage.js';
import type { RequirementLevel, RequirementRegistry } from '../suite/requirements.js';
import type { ResultEntry } from './run-report.js';

/**
 * What a requirement's row says after a run: the worst outcome of the assertions that ran for it, or
 * why none did — `not-run` (assertions cite it, none in this run: another profile or a selection),
 * `not-covered` (no assertion cites it yet), `not-black-box` (only a manual review can judge it).
 */
export type RequirementStatus = Outcome | 'not-run' | 'not-covered' | 'not-black-box';

export const REQUIREMENT_STATUSES: readonly RequirementStatus[] = [
  'failed',
  'error',
  'warning',
  'info',
  'passed',
  'skipped',
  'not-run',
  'not-covered',
  'not-black-box',
];

/** Worst first: the outcome a requirement's row shows when its assertions disagree. */
const SEVERITY_ORDER: readonly Outcome[] = ['error', 'failed', 'warning', 'info', 'passed', 'skipped'];

export interface RequirementCoverage {
  id: string;
  spec: string;
  section: string;
  level: RequirementLevel;
  /** the spec section, from config/spec-links.yaml */
  link?: string;
  status: RequirementStatus;
  /** every assertion citing it: those of this run with their outcome, the others `not-run` */
  assertions: { id: string; outcome: Outcome | 'not-run'; expectedFailure?: true }[];
}

export interface SpecCoverageSummary {
  spec: string;
  title: string;
  url: string;
  /** requirement ids of this spec in the registry */
  requirements: number;
  /** ... that some bundled assertion cites */
  covered: number;
  /** ... that some assertion of this run checked */
  ran: number;
  /** how many requirement rows of this spec show each status */
  statuses: Partial<Record<RequirementStatus, number>>;
}

/** The requirement matrix of one run: results.json `coverage`, and the HTML report's matrix. */
export interface RunCoverage {
  specs: SpecCoverageSummary[];
  requirements: RequirementCoverage[];
}

/**
 * Joins the registry, the catalog's citations (the `coverage` command's view) and one run's results
 * into requirement → assertions → outcomes, for every requirement of the registry.
 */
export function runCoverage(
  results: readonly ResultEntry[],
  registry: Pick<RequirementRegistry, 'requirements' | 'specs' | 'linkFor'>,
  citations: ReadonlyMap<string, readonly string[]>,
): RunCoverage {
  const ran = new Map<string, ResultEntry[]>();
  for (const result of results) {
    for (const id of result.requirements) ran.set(id, [...(ran.get(id) ?? []), result]);
  }
  // a requirement a run's assertion cites counts as covered even if the catalog has no such suite
  const cited = new Map<string, readonly string[]>(citations);
  for (const [id, list] of ran)
    if (!cited.has(id))
      cited.set(
        id,
        list.map((r) => `${r.suite}/${r.id}`),
      );
  const specs: SpecCoverageSummary[] = [];
  const requirements: RequirementCoverage[] = [];
  for (const row of coverageBySpec(registry, cited)) {
    const spec = registry.specs.get(row.spec)!;
    const notBlackBox = new Set(row.notBlackBox);
    const statuses: SpecCoverageSummary['statuses'] = {};
    let ranCount = 0;
    const specRequirements = [...registry.requirements.values()].filter((r) => r.spec === row.spec);
    for (const requirement of specRequirements) {
      const id = requirement.id;
      const outcomes = new Map((ran.get(id) ?? []).map((r) => [`${r.suite}/${r.id}`, r]));
      const assertions: RequirementCoverage['assertions'] = [
        ...new Set([...(cited.get(id) ?? []), ...outcomes.keys()]),
      ].map((assertion) => {
        const result = outcomes.get(assertion);
        return {
          id: assertion,
          outcome: result?.outcome ?? 'not-run',
          ...(result?.expectedFailure ? { expectedFailure: true as const } : {}),
        };
      });
      const status: RequirementStatus =
        SEVERITY_ORDER.find((outcome) => assertions.some((a) => a.outcome === outcome)) ??
        (assertions.length ? 'not-run' : notBlackBox.has(id) ? 'not-black-box' : 'not-covered');
      if (outcomes.size) ranCount++;
      statuses[status] = (statuses[status] ?? 0) + 1;
      const link = registry.linkFor(id);
      requirements.push({
        id,
        spec: row.spec,
        section: requirement.section,
        level: requirement.level,
        ...(link ? { link } : {}),
        status,
        assertions,
      });
    }
    specs.push({
      spec: row.spec,
      title: spec.title,
      url: spec.url,
      requirements: row.covered.length + row.uncovered.length,
      covered: row.covered.length,
      ran: ranCount,
      statuses,
    });
  }
  return { specs, requirements };
}
