#!/usr/bin/env node
// Runs the default run (embedded reference target) N times and reports every assertion whose outcome
// changed between runs. Needs a build (npm run build). Usage: node scripts/stability.js [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 20;
const bin = fileURLToPath(new URL('../bin/mcp-conformance.js', import.meta.url));
const outcomes = new Map();
const exitCodes = new Map();
for (let run = 1; run <= runs; run++) {
  const out = mkdtempSync(join(tmpdir(), 'mcp-conformance-stability-'));
  const { status } = spawnSync(process.execPath, [bin, 'run', '--reporter', 'json', '--out', out], {
    stdio: 'ignore',
  });
  exitCodes.set(status, (exitCodes.get(status) ?? 0) + 1);
  const { results } = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  for (const result of results) {
    const id = `${result.suite}/${result.id}`;
    const seen = outcomes.get(id) ?? new Map();
    seen.set(result.outcome, (seen.get(result.outcome) ?? 0) + 1);
    outcomes.set(id, seen);
  }
  process.stderr.write(`run ${run}/${runs} exit ${status}\n`);
}
const changed = [...outcomes].filter(([, seen]) => seen.size > 1);
process.stdout.write(
  `${runs} runs, ${outcomes.size} assertions, exit codes ${[...exitCodes].map(([c, n]) => `${c}×${n}`).join(', ')}\n`,
);
process.stdout.write(`${changed.length} assertions changed outcome between runs\n`);
for (const [id, seen] of changed) {
  process.stdout.write(`  ${id}: ${[...seen].map(([outcome, n]) => `${outcome}×${n}`).join(', ')}\n`);
}
process.exitCode = changed.length === 0 ? 0 : 1;
