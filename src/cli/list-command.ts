import { loadCatalog, selectSuites } from '../suite/catalog.js';
import { builtInProfileIds, DEFAULT_PROFILE, loadProfile } from '../suite/profile.js';
import { parseOptions } from './main.js';

export function listCommand(args: string[]): number {
  const { values } = parseOptions(args, {
    profile: { type: 'string' },
    profiles: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.profiles) {
    for (const id of builtInProfileIds()) process.stdout.write(`${id.padEnd(20)} ${loadProfile(id).title}\n`);
    return 0;
  }
  const profile = loadProfile(values.profile ?? DEFAULT_PROFILE);
  const selected = selectSuites(loadCatalog(), profile);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        selected.map((entry) => entry.suite),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  let total = 0;
  process.stdout.write(`Profile ${profile.id}: ${profile.title}\n\n`);
  for (const { suite } of selected) {
    process.stdout.write(`${suite.id} — ${suite.title} (${suite.file})\n`);
    for (const step of suite.steps) {
      for (const assertion of step.expect) {
        total++;
        process.stdout.write(
          `  ${`${suite.id}/${assertion.id}`.padEnd(72)} ${assertion.severity.padEnd(8)} ${assertion.requirements.join(' ')}\n`,
        );
      }
    }
  }
  process.stdout.write(`\n${selected.length} suites, ${total} assertions\n`);
  return 0;
}
