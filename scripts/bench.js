#!/usr/bin/env node
// Benchmark: wall time and peak RSS of the whole CLI process for the default run (embedded reference
// target, default profile) and for the zero-config `--url` run against a reference target started
// beforehand; time per suite; assertions per second; requests sent. Figures to print and chase, not a
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
        resolve({
          code,
          wallMs,
          rssKb,
          assertions: report.results.length,
          executed: report.results.filter((r) => r.outcome !== 'skipped').length,
          requests: Object.keys(report.exchanges).length,
          suiteDurations: report.suiteDurations,
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

/** Starts a reference target in its own process and returns its MCP URL and CA file. */
async function startReference() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./reference.js', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  const details = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const url = /MCP URL\s+(\S+)/.exec(stdout)?.[1];
      const ca = /CA certificate\s+(\S+)/.exec(stdout)?.[1];
      if (url && ca) resolve({ url, ca });
    });
    child.on('exit', (code) => reject(new Error(`the reference target exited (${code}): ${stdout}`)));
  });
  return { ...details, stop: () => child.kill('SIGINT') };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function print(name, samples) {
  const wall = samples.map((s) => s.wallMs);
  const last = samples.at(-1);
  const lines = [
    `${name}, ${samples.length} runs`,
    `  wall time        median ${seconds(median(wall))}, min ${seconds(Math.min(...wall))}, max ${seconds(Math.max(...wall))} (whole CLI process)`,
    `  assertions       ${last.assertions} (${last.executed} executed), ${((last.executed / median(wall)) * 1000).toFixed(0)} executed/s`,
    `  requests sent    ${last.requests} recorded exchanges (besides discovery)`,
    `  peak RSS         median ${(median(samples.map((s) => s.rssKb)) / 1024).toFixed(0)} MB, max ${(Math.max(...samples.map((s) => s.rssKb)) / 1024).toFixed(0)} MB`,
    `  exit codes       ${[...new Set(samples.map((s) => s.code))].join(', ')}`,
    '  time per suite (median, tests and hooks; suites run two at a time):',
  ];
  const ids = Object.keys(last.suiteDurations ?? {}).sort();
  for (const id of ids)
    lines.push(`    ${id.padEnd(42)} ${seconds(median(samples.map((s) => s.suiteDurations[id] ?? 0)))}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

const defaults = [];
for (let i = 0; i < runs; i++) defaults.push(await once(['run']));
print('default run: embedded reference target, profile mcp-2025-11-25 (no browser)', defaults);

const reference = await startReference();
try {
  const probes = [];
  for (let i = 0; i < runs; i++)
    probes.push(await once(['run', '--url', reference.url, '--ca', reference.ca]));
  print('--url run: the reference MCP URL alone, no target file (reference already running)', probes);
} finally {
  reference.stop();
}
