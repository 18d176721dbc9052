#!/usr/bin/env node
// Benchmark of the default run (embedded reference target, default profile): wall time, assertions
// run and peak RSS of the whole CLI process, over several runs. Figures to print and chase, not a
// test. Needs a build (npm run build). Usage: node scripts/bench.js [--runs N]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
const bin = fileURLToPath(new URL('../bin/mcp-conformance.js', import.meta.url));
// reports the process's peak RSS on exit (vitest runs the suites in worker threads of this process)
const probe = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => writeSync(2, '\\nBENCH_MAX_RSS_KB=' + process.resourceUsage().maxRSS + '\\n'));",
)}`;

function once(args) {
  const out = mkdtempSync(join(tmpdir(), 'mcp-conformance-bench-'));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', probe, bin, ...args, '--out', out, '--reporter', 'json'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const rssKb = Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      try {
        const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
        const executed = report.results.filter((r) => r.outcome !== 'skipped').length;
        resolve({
          code,
          wallMs,
          rssKb,
          assertions: report.results.length,
          executed,
          inRunnerMs: report.durationMs,
        });
      } catch (error) {
        reject(
          new Error(`run exited ${code} without results.json: ${stderr.slice(-2000)}`, { cause: error }),
        );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = [];
for (const [name, args] of [['default run (embedded reference, mcp-2025-11-25)', ['run']]]) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await once(args));
  rows.push({ name, samples });
}
for (const { name, samples } of rows) {
  const wall = samples.map((s) => s.wallMs);
  const last = samples.at(-1);
  process.stdout.write(
    [
      `${name}, ${samples.length} runs`,
      `  wall time        median ${(median(wall) / 1000).toFixed(2)} s, min ${(Math.min(...wall) / 1000).toFixed(2)} s, max ${(Math.max(...wall) / 1000).toFixed(2)} s (whole CLI process, reference start-up included)`,
      `  suites + report  median ${(median(samples.map((s) => s.inRunnerMs)) / 1000).toFixed(2)} s (discovery, vitest, verdicts)`,
      `  assertions       ${last.assertions} (${last.executed} executed), ${((last.executed / median(wall)) * 1000).toFixed(0)} executed/s`,
      `  peak RSS         median ${(median(samples.map((s) => s.rssKb)) / 1024).toFixed(0)} MB, max ${(Math.max(...samples.map((s) => s.rssKb)) / 1024).toFixed(0)} MB`,
      `  exit codes       ${[...new Set(samples.map((s) => s.code))].join(', ')}`,
      '',
    ].join('\n'),
  );
}
