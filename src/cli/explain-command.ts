import { checks } from '../checks/index.js';
import { describeQuery } from '../engine/assertions.js';
import { formatPosition, UserInputError, type UserProblem } from '../errors.js';
import { packagePath } from '../package-root.js';
import { type CatalogEntry, loadCatalog } from '../suite/catalog.js';
import { editDistance } from '../suite/edit-distance.js';
import { type Assertion, type Predicate, qualifiedId, type Step, type Suite } from '../suite/model.js';
import { builtInProfileIds, loadProfile, type Profile } from '../suite/profile.js';
import { loadRequirementRegistry, type RequirementRegistry } from '../suite/requirements.js';
import { readYamlFile } from '../suite/yaml-file.js';
import { parseOptions } from './main.js';

export const EXPLAIN_USAGE = `Usage: mcp-conformance explain ID

ID is an assertion id (suite/assertion, or the assertion id alone) or a requirement id from
suites/requirements.yaml. Prints what it checks, its severity per profile, the requirements with
their spec links, where it is defined, the usual causes of failure and the fix.
`;

interface Found {
  suite: Suite;
  step: Step;
  assertion: Assertion;
}

export function explainCommand(args: string[]): number {
  const { values, positionals } = parseOptions(args, { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    process.stdout.write(EXPLAIN_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UserInputError('explain takes exactly one id (see "explain --help")');
  const id = positionals[0]!;
  const registry = loadRequirementRegistry();
  const catalog = loadCatalog();
  const profiles = builtInProfileIds().map((profileId) => loadProfile(profileId));
  const causes = loadFailureCauses(registry);
  const assertions = allAssertions(catalog);

  const requirement = registry.requirements.get(id);
  const matches = requirement
    ? []
    : assertions.filter(
        (found) => qualifiedId(found.suite.id, found.assertion.id) === id || found.assertion.id === id,
      );
  if (!requirement && matches.length === 0) {
    const candidates = [
      ...registry.requirements.keys(),
      ...assertions.map((found) => qualifiedId(found.suite.id, found.assertion.id)),
    ];
    const suggestions = closest(id, candidates, 5);
    throw new UserInputError(
      `unknown id "${id}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
    );
  }
  const out: string[] = [];
  if (requirement) {
    const spec = registry.specs.get(requirement.spec);
    out.push(`${requirement.id} (requirement)`);
    out.push(`  ${requirement.text}`);
    out.push(
      `  ${requirement.level}${requirement.conditional ? ' (conditional)' : ''} for the ${requirement.actor}; ${spec?.title ?? requirement.spec} §${requirement.section}${requirement.black_box ? '' : '; not testable black-box'}`,
    );
    const link = registry.linkFor(requirement.id);
    if (link) out.push(`  ${link}`);
    const citing = assertions.filter((found) => found.assertion.requirements.includes(requirement.id));
    out.push('', citing.length ? 'Checked by:' : 'Checked by: no assertion yet');
    for (const found of citing) {
      out.push(
        `  ${qualifiedId(found.suite.id, found.assertion.id).padEnd(72)} ${formatPosition(found.assertion.position)}`,
      );
    }
    pushCauses(out, causes, [requirement.id]);
    for (const found of citing.slice(0, 1))
      out.push(
        '',
        `Fix (from ${qualifiedId(found.suite.id, found.assertion.id)}):`,
        `  ${found.assertion.hint}`,
      );
  }
  matches.forEach((found, index) => {
    if (index > 0) out.push('', '—'.repeat(40), '');
    explainAssertion(out, found, registry, profiles, causes);
  });
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function explainAssertion(
  out: string[],
  { suite, step, assertion }: Found,
  registry: RequirementRegistry,
  profiles: Profile[],
  causes: Map<string, string[]>,
): void {
  const qualified = qualifiedId(suite.id, assertion.id);
  out.push(`${qualified} (assertion)`);
  if (assertion.title) out.push(`  ${assertion.title}`);
  out.push(`  Checks: ${describeQuery(assertion.query)} ${describePredicate(assertion.predicate)}`);
  out.push(`  Step: ${step.id}${step.title ? ` — ${step.title}` : ''}`);
  out.push(`  Suite: ${suite.title} (${suite.id})`);
  out.push(`  Defined at: ${formatPosition(assertion.position)}`);
  const needs = [...suite.needs, ...step.needs, ...assertion.needs];
  if (needs.length) out.push(`  Not applicable (skipped) without: ${[...new Set(needs)].join(', ')}`);
  if (assertion.gate) out.push('  Gate: when it does not pass, the step’s later assertions are skipped');

  out.push('', `Severity: ${assertion.severity} as the suite defines it; per profile:`);
  for (const profile of profiles) {
    const runs = profile.suites.includes(suite.id);
    const override = profile.severity[qualified];
    out.push(
      `  ${profile.id.padEnd(20)} ${runs ? `${override ?? assertion.severity}${override ? ' (set by the profile)' : ''}` : 'not run'}`,
    );
  }
  out.push('', 'Requirements:');
  for (const id of assertion.requirements) {
    const requirement = registry.requirements.get(id);
    if (!requirement) continue;
    out.push(`  ${id} — ${requirement.level}: ${requirement.text}`);
    const link = registry.linkFor(id);
    if (link) out.push(`    ${link}`);
  }
  pushCauses(
    out,
    causes,
    assertion.requirements,
    `${describeQuery(assertion.query)} does not satisfy "${describePredicate(assertion.predicate)}"`,
  );
  out.push('', 'Fix:', `  ${assertion.hint}`);
}

function pushCauses(out: string[], causes: Map<string, string[]>, ids: string[], fallback?: string): void {
  const known = [...new Set(ids.flatMap((id) => causes.get(id) ?? []))];
  if (!known.length && !fallback) return;
  out.push('', 'Usual causes of failure:');
  if (known.length) for (const cause of known) out.push(`  - ${cause}`);
  else out.push(`  - The response's ${fallback}.`);
}

function allAssertions(catalog: CatalogEntry[]): Found[] {
  return catalog.flatMap(({ suite }) =>
    suite.steps.flatMap((step) => step.expect.map((assertion) => ({ suite, step, assertion }))),
  );
}

/** What a predicate demands, in words. */
export function describePredicate(predicate: Predicate): string {
  const show = (value: unknown) => JSON.stringify(value);
  switch (predicate.kind) {
    case 'equals':
      return `equals ${show(predicate.value)}`;
    case 'notEquals':
      return `differs from ${show(predicate.value)}`;
    case 'matches':
      return `matches /${predicate.pattern}/`;
    case 'contains':
      return `contains ${show(predicate.value)}`;
    case 'oneOf':
      return `is one of ${predicate.values.map(show).join(', ')}`;
    case 'exists':
      return 'is present';
    case 'absent':
      return 'is absent';
    case 'type':
      return `is of type ${predicate.type}`;
    case 'count':
      return `has ${predicate.min ?? 0}${predicate.max === undefined ? ' or more' : `..${predicate.max}`} nodes`;
    case 'each':
      return `each: ${describePredicate(predicate.inner)}`;
    case 'some':
      return `at least one: ${describePredicate(predicate.inner)}`;
    case 'schema':
      return 'matches a JSON Schema';
    case 'check': {
      const check = checks.get(predicate.name);
      return `passes check "${predicate.name}"${check ? ` (${check.description.replace(/\.$/, '')})` : ''}`;
    }
  }
}

/** config/failure-causes.yaml: requirement id → the usual reasons servers break it. */
export function loadFailureCauses(
  registry: RequirementRegistry,
  path = packagePath('config', 'failure-causes.yaml'),
): Map<string, string[]> {
  const file = readYamlFile(
    path,
    path === packagePath('config', 'failure-causes.yaml') ? 'config/failure-causes.yaml' : path,
  );
  const problems: UserProblem[] = [];
  const causes = new Map<string, string[]>();
  for (const [id, list] of Object.entries((file.value ?? {}) as Record<string, unknown>)) {
    const position = file.locate([id], { key: true });
    if (!registry.requirements.has(id))
      problems.push({ message: `unknown requirement id "${id}"`, position });
    else if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' && item.length > 0))
      problems.push({ message: `"${id}" must be a list of sentences`, position });
    else causes.set(id, list as string[]);
  }
  if (problems.length) throw new UserInputError(problems);
  return causes;
}

/** The candidates nearest to `input` by edit distance (a substring match counts as near). */
export function closest(input: string, candidates: readonly string[], count: number): string[] {
  const lower = input.toLowerCase();
  return [...new Set(candidates)]
    .map((candidate) => {
      const other = candidate.toLowerCase();
      const tail = other.includes('/') ? other.slice(other.indexOf('/') + 1) : other;
      const distance = Math.min(editDistance(lower, other), editDistance(lower, tail));
      const contained = other.includes(lower) || (lower.length >= 6 && lower.includes(tail));
      return { candidate, score: contained ? Math.min(distance, 1) : distance };
    })
    .filter(({ score }) => score <= Math.max(3, Math.floor(lower.length / 3)))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate);
}
