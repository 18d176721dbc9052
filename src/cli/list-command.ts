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
  process.stdout.write(`Profile ${profile.id}: ${profile.title}\n`);
  if (profile.description) process.stdout.write(`${wrap(profile.description, 100)}\n`);
  process.stdout.write(
    profile.mcpServer
      ? 'Target: an MCP server (mcp.url) and its authorization server\n\n'
      : 'Target: an authorization server (issuer); the mcp section is optional\n\n',
  );
  for (const { suite } of selected) {
    process.stdout.write(`${suite.id} — ${suite.title} (${suite.file})\n`);
    for (const step of suite.steps) {
      for (const assertion of step.expect) {
        total++;
        const changed = profile.severity[`${suite.id}/${assertion.id}`] !== undefined;
        process.stdout.write(
          `  ${`${suite.id}/${assertion.id}`.padEnd(72)} ${`${assertion.severity}${changed ? '*' : ''}`.padEnd(9)} ${assertion.requirements.join(' ')}\n`,
        );
      }
    }
  }
  const overrides = Object.keys(profile.severity).length;
  if (overrides) process.stdout.write(`\n* severity set by the profile (${overrides} assertions)\n`);
  process.stdout.write(`\n${selected.length} suites, ${total} assertions\n`);
  return 0;
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
