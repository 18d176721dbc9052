#!/usr/bin/env node
// The zoo run: every real third-party server under fixtures/zoo/ is installed (npm ci in its folder,
// when its node_modules is missing or older than its lockfile), started on 127.0.0.1, judged by a
// whole `mcp-conformance run` with its own target file and profile, and stopped again. Each run's
// failed, warning and error verdicts are compared with the server's reviewed ledger (verdicts.yaml):
// a verdict the ledger does not list, or a ledger entry the run no longer gives, is a change, and any
// change fails the zoo (exit 1) until someone reads the spec again and updates the ledger. Servers
// and runs are preloaded with scripts/process-probe.js, which refuses any connection off loopback.
// When every server ran and matched, the README's "Tested against" table must equal the one these
// runs make (--write-readme rewrites it). Needs a build (npm run build).
//
// Usage: node scripts/zoo.js [--servers a,b] [--write-readme] [--draft]
//   --draft   print a ledger stub for every verdict that is not in the ledger yet
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scriptOptions } from './script-options.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { bundledAssertionIds, compareWithLedger, listZooServers, readLedger, renderTestedAgainst } =
  await import(pathToFileURL(join(root, 'dist/fixtures/zoo/ledger.js')).href);
const { qualifiedId } = await import(pathToFileURL(join(root, 'dist/src/suite/model.js')).href);
const { formatProblem } = await import(pathToFileURL(join(root, 'dist/src/errors.js')).href);

const usage = 'usage: node scripts/zoo.js [--servers NAME,…] [--write-readme] [--draft]';
const options = scriptOptions(
  {
    servers: { type: 'string' },
    'write-readme': { type: 'boolean', default: false },
    draft: { type: 'boolean', default: false },
  },
  usage,
);

const READY_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 8 * 60_000;
const README_BEGIN = '<!-- zoo:tested-against:begin (written by npm run zoo -- --write-readme) -->';
const README_END = '<!-- zoo:tested-against:end -->';
const bin = join(root, 'bin/mcp-conformance.js');
const probe = pathToFileURL(join(root, 'scripts/process-probe.js')).href;
const outputRoot = join(root, '.zoo');

const all = listZooServers();
const wanted = options.servers?.split(',').map((name) => name.trim());
const unknown = (wanted ?? []).filter((name) => !all.some((server) => server.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown zoo server(s): ${unknown.join(', ')} (there are: ${all.map((s) => s.name).join(', ')})`,
  );
  process.exit(2);
}
const servers = wanted ? all.filter((server) => wanted.includes(server.name)) : all;

const knownIds = bundledAssertionIds();

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command to its end, its output to `log`; resolves with the exit code (or the signal's name). */
function runToEnd(command, args, { cwd, env, log, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(log);
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const timer = setTimeout(() => {
      out.write(`\n[zoo] killed after ${seconds(timeoutMs)}\n`);
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      out.end(() => resolve(code ?? signal));
    });
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const tail = (file, lines = 20) =>
  existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';

/** Installs a server's packages when its node_modules is missing or older than its lockfile. */
async function install(server, output) {
  const lock = join(server.directory, 'package-lock.json');
  const marker = join(server.directory, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return { ms: 0 };
  const started = performance.now();
  const log = join(output, 'install.log');
  const code = await runToEnd('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: server.directory,
    env: process.env,
    log,
    timeoutMs: 15 * 60_000,
  });
  if (code !== 0) throw new Error(`npm ci in fixtures/zoo/${server.name} ended with ${code}:\n${tail(log)}`);
  return { ms: performance.now() - started };
}

async function answers(url) {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}

/** Starts a server and waits until its ready URL answers; resolves with the child process. */
async function start(server, output) {
  if (await answers(server.ready)) {
    throw new Error(
      `${server.ready} already answers before the server started: something else holds its port`,
    );
  }
  const log = join(output, 'server.log');
  const out = createWriteStream(log);
  const child = spawn(server.start[0], server.start.slice(1), {
    cwd: server.directory,
    env: {
      ...process.env,
      ...server.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${probe}`.trim(),
      PROBE_LOOPBACK_ONLY: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited;
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
  });
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (exited !== undefined)
      throw new Error(`the server ended (${exited}) before it was ready:\n${tail(log)}`);
    if (await answers(server.ready)) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  killGroup(child, 'SIGKILL');
  throw new Error(`${server.ready} did not answer within ${seconds(READY_TIMEOUT_MS)}:\n${tail(log)}`);
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const ended = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await ended;
  clearTimeout(timer);
}

/** Lines the loopback guard wrote: attempts to reach a host off loopback. */
function offLoopback(...logs) {
  return logs.flatMap((log) =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('PROBE_OFF_LOOPBACK='))
      : [],
  );
}

async function judge(server, installing) {
  const output = join(outputRoot, server.name);
  const { ledger, problems } = readLedger(join(server.directory, 'verdicts.yaml'), knownIds);
  const result = {
    server,
    ledger,
    problems: problems.map(formatProblem),
  };
  if (ledger.server !== server.name || ledger.profile !== server.profile) {
    result.problems.push(`verdicts.yaml names server "${ledger.server}" and profile "${ledger.profile}"`);
  }
  const timing = {};
  result.timing = timing;
  try {
    timing.install = (await installing).ms;
    let started = performance.now();
    const child = await start(server, output);
    timing.start = performance.now() - started;
    started = performance.now();
    const runLog = join(output, 'run.log');
    let code;
    try {
      code = await runToEnd(
        process.execPath,
        [
          '--import',
          probe,
          bin,
          'run',
          '--target',
          join(server.directory, 'target.yaml'),
          '--profile',
          server.profile,
          '--out',
          output,
          '--reporter',
          'console,json,html',
        ],
        {
          cwd: root,
          env: { ...process.env, ...server.env, PROBE_LOOPBACK_ONLY: '1' },
          log: runLog,
          timeoutMs: RUN_TIMEOUT_MS,
        },
      );
    } finally {
      await stop(child);
    }
    timing.run = performance.now() - started;
    const leaks = offLoopback(runLog, join(output, 'server.log'));
    if (leaks.length > 0)
      result.problems.push(`tried to reach hosts off loopback: ${[...new Set(leaks)].join(', ')}`);
    if (code !== 0 && code !== 1) throw new Error(`the run ended with ${code}:\n${tail(runLog)}`);
    const report = JSON.parse(readFileSync(join(output, 'results.json'), 'utf8'));
    // a suite that crashed leaves its assertions out of the results: never a silent match
    for (const problem of report.problems ?? []) result.problems.push(`the run reported: ${problem}`);
    result.counts = report.summary;
    result.verdicts = report.results;
    result.changes = compareWithLedger(report.results, ledger);
  } catch (error) {
    result.problems.push(error.message);
  }
  return result;
}

function draftEntry(verdict) {
  return [
    `  - id: ${verdict.suite}/${verdict.id}`,
    `    outcome: ${verdict.outcome}`,
    '    class: # deviation (spec, quote) | deployment | accepted-gap (reason)',
    `    reason: ${JSON.stringify(verdict.message ?? '')}`,
  ].join('\n');
}

function report(result) {
  const { server, counts, changes = [], timing } = result;
  const figures = counts
    ? ['passed', 'failed', 'warning', 'info', 'skipped', 'error']
        .map((k) => `${counts[k] ?? 0} ${k}`)
        .join(', ')
    : 'no verdicts';
  const times = ['install', 'start', 'run']
    .filter((k) => timing[k] !== undefined && timing[k] > 0)
    .map((k) => `${k} ${seconds(timing[k])}`)
    .join(', ');
  const ok = result.problems.length === 0 && changes.length === 0;
  console.log(`${ok ? '✓' : '✗'} ${server.name} — ${server.server} (${server.profile})`);
  console.log(`    ${figures}`);
  console.log(
    `    ledger: ${result.ledger.entries.length} entries, ${changes.length} changed${times ? `; ${times}` : ''}`,
  );
  for (const change of changes) {
    if (change.was === undefined) console.log(`    + ${change.id}: ${change.now}, not in the ledger`);
    else if (change.now === undefined)
      console.log(`    - ${change.id}: in the ledger (${change.was}), not in the run`);
    else console.log(`    ~ ${change.id}: the ledger says ${change.was}, the run ${change.now}`);
  }
  for (const problem of result.problems) console.log(`    ! ${problem.replaceAll('\n', '\n      ')}`);
  if (options.draft) {
    const fresh = changes.filter((change) => change.was === undefined);
    if (fresh.length > 0) {
      console.log('    ledger stubs:');
      for (const change of fresh) {
        const verdict = result.verdicts.find((v) => qualifiedId(v.suite, v.id) === change.id);
        console.log(draftEntry(verdict));
      }
    }
  }
  console.log(`    reports: ${join('.zoo', server.name)}/`);
  return ok;
}

console.log(`zoo: ${servers.length} server(s): ${servers.map((server) => server.name).join(', ')}`);
const started = performance.now();
for (const server of servers) {
  rmSync(join(outputRoot, server.name), { recursive: true, force: true });
  mkdirSync(join(outputRoot, server.name), { recursive: true });
}
// installs go side by side (mostly waiting on the registry and the disk); runs one at a time
const installs = servers.map((server) => install(server, join(outputRoot, server.name)));
for (const installing of installs) installing.catch(() => {});
const results = [];
for (const [index, server] of servers.entries()) results.push(await judge(server, installs[index]));
let clean = true;
for (const result of results) clean = report(result) && clean;

if (clean && !wanted) {
  const table = renderTestedAgainst(
    results.map(({ server, counts, ledger }) => ({ manifest: server, counts, ledger })),
  );
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) {
    console.log(`! README.md has no "${README_BEGIN}" … "${README_END}" block`);
    clean = false;
  } else {
    const current = readme.slice(begin + README_BEGIN.length, end).trim();
    if (current !== table) {
      if (options['write-readme']) {
        writeFileSync(
          readmePath,
          `${readme.slice(0, begin + README_BEGIN.length)}\n${table}\n${readme.slice(end)}`,
        );
        console.log('README.md: "Tested against" table rewritten');
      } else {
        console.log(
          '! README.md: the "Tested against" table differs from this run: npm run zoo -- --write-readme',
        );
        clean = false;
      }
    }
  }
}
console.log(
  `zoo: ${clean ? 'every server matched its ledger' : 'changes or problems above'} in ${seconds(performance.now() - started)}`,
);
process.exit(clean ? 0 : 1);
