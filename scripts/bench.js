#!/usr/bin/env node
// Benchmark: wall time and peak RSS of whole processes, what each run checked, assertions per second and
// requests sent. Figures to print and chase, not a test; on a shared machine they are only indicative.
// Needs a build (npm run build). Rows:
//
//   default   our default run: embedded reference target, default profile, browser suites included
//   nobrowser the same run without the suites that drive the browser
//   url       our zero-config `--url` run against a reference target started beforehand
//   official  the official @modelcontextprotocol/conformance `authorization` command against the same
//             reference authorization server (installs node@22 and the package under .bench/ if needed);
//             for its code-grant scenario the bench registers a public client for the tool's callback
//             server and plays the person at the browser on the reference's login and consent forms
//   hostile   our run against a hostile server: valid metadata, then 100 MB, 50 MB, endless and
//             gzip-bomb bodies for every other request (fixtures/hostile), with the default limits
//
// Usage: node scripts/bench.js [--runs N] [--rows default,nobrowser,url,official,hostile] [--official-version V]
import { spawn, spawnSync } from 'node:child_process';
import { once as eventOnce } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { scriptOptions } from './script-options.js';

/** The full default run's wall-time budget (issue 4), on the 2-core machine. */
const FULL_RUN_TARGET_MS = 15_000;
const ROWS = ['default', 'nobrowser', 'url', 'official', 'hostile'];
/**
 * The newest release is 0.1.16, which has no `authorization` command; the 0.2.0 pre-releases add it.
 * Pinned, so that figures compare across bench runs.
 */
const OFFICIAL_VERSION = '0.2.0-alpha.12';

const usage = `usage: node scripts/bench.js [--runs N] [--rows ${ROWS.join(',')}] [--official-version V]`;
const options = scriptOptions(
  {
    runs: { type: 'string', default: '5' },
    rows: { type: 'string', default: ROWS.join(',') },
    'official-version': { type: 'string', default: OFFICIAL_VERSION },
  },
  usage,
);
const runs = Number(options.runs);
const rows = options.rows.split(',').map((row) => row.trim());
const unknownRows = rows.filter((row) => !ROWS.includes(row));
if (!Number.isInteger(runs) || runs < 1 || unknownRows.length > 0) {
  console.error(
    `${unknownRows.length > 0 ? `unknown row(s): ${unknownRows.join(', ')}` : '--runs must be a positive integer'}\n${usage}`,
  );
  process.exit(2);
}

const bin = fileURLToPath(new URL('../bin/mcp-conformance.js', import.meta.url));
const benchDirectory = fileURLToPath(new URL('../.bench/', import.meta.url));
// reports the process's peak RSS on exit (vitest runs the suites in worker threads of the same process)
// and, with PROBE_LOOPBACK_ONLY=1, refuses connections off loopback and lists the origins contacted
const probe = pathToFileURL(fileURLToPath(new URL('./process-probe.js', import.meta.url))).href;

/** Runs a process to completion, collecting stderr; resolves with its exit code and wall time. */
function measure(command, args, { env, cwd, onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, ['--import', probe, ...args], {
      stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'],
      ...(env ? { env } : {}),
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      onStdout(stdout);
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const probed = (name) =>
        [...stderr.matchAll(new RegExp(`^PROBE_${name}=(.*)$`, 'gm'))].map((m) => m[1]);
      resolve({
        code,
        stderr,
        wallMs: performance.now() - started,
        rssKb: Number(probed('MAX_RSS_KB')[0] ?? Number.NaN),
        cpuMs: Number(probed('CPU_MS')[0] ?? Number.NaN),
        probed,
      });
    });
  });
}

/** One run of our CLI; reads what it checked from its results.json. */
async function once(args, env) {
  const out = mkdtempSync(join(tmpdir(), 'mcp-conformance-bench-'));
  try {
    const run = await measure(process.execPath, [bin, ...args, '--out', out, '--reporter', 'json'], {
      env: { ...process.env, ...env },
    });
    let report;
    try {
      report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    } catch (error) {
      throw new Error(`run exited ${run.code} without results.json: ${run.stderr.slice(-2000)}`, {
        cause: error,
      });
    }
    const outcomes = {};
    for (const result of report.results) outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    return {
      ...run,
      checks: report.results.length,
      executed: report.results.filter((r) => r.outcome !== 'skipped').length,
      outcomes,
      requests: Object.keys(report.exchanges).length,
      suiteDurations: report.suiteDurations,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The profile's suites that have no browser step (authorize, revoke_consent). */
function browserlessSuites(profileId) {
  const suitesDir = fileURLToPath(new URL('../suites/', import.meta.url));
  const profile = readFileSync(
    fileURLToPath(new URL(`../config/profiles/${profileId}.yaml`, import.meta.url)),
    'utf8',
  );
  const ids = [...profile.matchAll(/^ {2}- ([a-z0-9-]+)$/gm)].map((m) => m[1]);
  const browserSuites = new Set();
  for (const area of readdirSync(suitesDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(join(suitesDir, area.name)).filter((f) => f.endsWith('.suite.yaml'))) {
      const text = readFileSync(join(suitesDir, area.name, file), 'utf8');
      const id = /^id: (\S+)$/m.exec(text)?.[1];
      if (id && /^ {4}(authorize|revoke_consent):/m.test(text)) browserSuites.add(id);
    }
  }
  return ids.filter((id) => !browserSuites.has(id));
}

/** Starts a reference target in its own process; returns its issuer, MCP URL and CA file. */
async function startReference() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./reference.js', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  const details = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const issuer = /issuer\s+(\S+)/.exec(stdout)?.[1];
      const url = /MCP URL\s+(\S+)/.exec(stdout)?.[1];
      const ca = /CA certificate\s+(\S+)/.exec(stdout)?.[1];
      const detailsFile = /details\s+(\S+)/.exec(stdout)?.[1];
      if (issuer && url && ca && detailsFile) {
        const { user } = JSON.parse(readFileSync(detailsFile, 'utf8'));
        resolve({ issuer, url, ca, user });
      }
    });
    child.on('exit', (code) => reject(new Error(`the reference target exited (${code}): ${stdout}`)));
  });
  return { ...details, stop: () => child.kill('SIGINT') };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const counts = (tally) =>
  Object.entries(tally)
    .sort(([, a], [, b]) => b - a)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');

/** The lines every row prints: wall time, peak RSS, exit codes. */
function processLines(samples, what) {
  const wall = samples.map((s) => s.wallMs);
  const rss = samples.map((s) => s.rssKb);
  return [
    `  wall time        median ${seconds(median(wall))}, min ${seconds(Math.min(...wall))}, max ${seconds(Math.max(...wall))} (${what})`,
    `  CPU time         median ${seconds(median(samples.map((s) => s.cpuMs)))} (user + system; less sensitive than wall time to a busy machine)`,
    `  peak RSS         median ${megabytes(median(rss))}, max ${megabytes(Math.max(...rss))}`,
    `  exit codes       ${[...new Set(samples.map((s) => s.code))].join(', ')}`,
  ];
}

function print(title, samples, extra = []) {
  const last = samples.at(-1);
  const wallMs = median(samples.map((s) => s.wallMs));
  const lines = [
    `${title}, ${samples.length} run(s)`,
    ...processLines(samples, 'whole CLI process'),
    `  checked          ${last.checks} assertions: ${counts(last.outcomes)}`,
    `  assertions/s     ${((last.executed / wallMs) * 1000).toFixed(0)} executed/s (${last.executed} not skipped), ${((last.checks / wallMs) * 1000).toFixed(0)} all/s`,
    `  requests sent    ${last.requests} recorded exchanges per run (besides discovery)`,
    ...extra,
    '  time per suite (median, tests and hooks; suites run side by side, the browser suites first):',
  ];
  for (const id of Object.keys(last.suiteDurations ?? {}).sort())
    lines.push(`    ${id.padEnd(42)} ${seconds(median(samples.map((s) => s.suiteDurations[id] ?? 0)))}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

function skipped(title, reason) {
  process.stdout.write(`${title}\n  skipped: ${reason}\n\n`);
}

// --- the official package ----------------------------------------------------------------------------

const lastLines = (text) => text.trim().split('\n').slice(-3).join(' | ');

/** Installs `spec` into `prefix` with the ordinary npm client; returns why it failed, if it did. */
function npmInstall(prefix, spec) {
  process.stderr.write(`bench: npm install --prefix ${prefix} ${spec}\n`);
  const npm = spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel', 'error', spec],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (npm.error) return `npm could not be run: ${npm.error.message}`;
  if (npm.status !== 0)
    return `\`npm install ${spec}\` failed (exit ${npm.status}): ${lastLines(npm.stderr)}`;
  return undefined;
}

/** A Node 22 binary: this one if it is 22 or later, else node@22 from the npm registry under .bench/. */
function findNode22() {
  if (Number(process.versions.node.split('.')[0]) >= 22)
    return { bin: process.execPath, version: process.version };
  const prefix = join(benchDirectory, 'node22');
  const node = join(prefix, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node)) {
    const failure = npmInstall(prefix, 'node@22');
    if (failure) return { skip: failure };
    if (!existsSync(node)) return { skip: `npm installed node@22 but ${node} is missing` };
  }
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !/^v22\./.test(version.stdout))
    return {
      skip: `${node} --version gave exit ${version.status ?? version.error?.message}: ${lastLines(`${version.stdout}${version.stderr}`)}`,
    };
  return { bin: node, version: version.stdout.trim() };
}

/** The official CLI at `version` under .bench/, installed if needed, with its `authorization` command. */
function findOfficialCli(node, version) {
  const prefix = join(benchDirectory, 'conformance');
  const packageDirectory = join(prefix, 'node_modules', '@modelcontextprotocol', 'conformance');
  const manifest = () => {
    try {
      return JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8'));
    } catch {
      return undefined;
    }
  };
  if (manifest()?.version !== version) {
    const failure = npmInstall(prefix, `@modelcontextprotocol/conformance@${version}`);
    if (failure) return { skip: failure };
  }
  const installed = manifest();
  if (installed?.version !== version)
    return {
      skip: `@modelcontextprotocol/conformance@${version} is not in ${packageDirectory} after npm install`,
    };
  const binEntry = typeof installed.bin === 'string' ? installed.bin : installed.bin?.conformance;
  if (!binEntry)
    return { skip: `@modelcontextprotocol/conformance@${version} declares no "conformance" bin` };
  const cli = join(packageDirectory, binEntry);
  const help = spawnSync(node.bin, [cli, '--help'], { encoding: 'utf8' });
  if (help.status !== 0)
    return {
      skip: `\`conformance --help\` exited ${help.status} under Node ${node.version}: ${lastLines(help.stderr)}`,
    };
  if (!/^\s+authorization\b/m.test(help.stdout))
    return { skip: `@modelcontextprotocol/conformance@${version} has no "authorization" command` };
  return { cli };
}

const isLoopbackHost = (hostname) => /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';

/** A free TCP port on 127.0.0.1 for the official tool's callback server. */
async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await eventOnce(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Registers a public client at the reference authorization server (RFC 7591) whose redirect URI is the
 * official tool's callback server, so its authorization-code-grant scenario can run.
 */
async function registerCallbackClient(reference, port) {
  const dispatcher = new Agent({ connect: { ca: readFileSync(reference.ca, 'utf8') } });
  try {
    const metadata = await request(`${reference.issuer}/.well-known/oauth-authorization-server`, {
      dispatcher,
    });
    const { registration_endpoint: registrationEndpoint } = await metadata.body.json();
    if (!isLoopbackHost(new URL(registrationEndpoint).hostname))
      throw new Error(`the registration endpoint ${registrationEndpoint} is not on loopback`);
    const response = await request(registrationEndpoint, {
      dispatcher,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'mcp-conformance bench: official conformance tool',
        application_type: 'native',
        redirect_uris: [`http://127.0.0.1:${port}/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    });
    const body = await response.body.json();
    if (response.statusCode !== 201)
      throw new Error(`registration answered ${response.statusCode}: ${JSON.stringify(body)}`);
    return body.client_id;
  } finally {
    await dispatcher.close();
  }
}

/**
 * Plays the person at the browser for the official tool's authorization-code-grant: follows its
 * authorization URL at the reference authorization server, signs in and consents on oidc-provider's
 * development forms, and delivers the redirect to the tool's callback server. Loopback only.
 */
async function playBrowser(authorizationUrl, reference) {
  const dispatcher = new Agent({ connect: { ca: readFileSync(reference.ca, 'utf8') } });
  const cookies = new Map();
  const send = async (url, form) => {
    if (!isLoopbackHost(new URL(url).hostname)) throw new Error(`refusing to visit ${url}: not loopback`);
    const response = await request(url, {
      dispatcher,
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const cookie of [response.headers['set-cookie'] ?? []].flat()) {
      const [pair = ''] = cookie.split(';');
      const equals = pair.indexOf('=');
      cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1));
    }
    return {
      status: response.statusCode,
      location: response.headers.location,
      text: await response.body.text(),
    };
  };
  try {
    const issuerOrigin = new URL(reference.issuer).origin;
    let url = authorizationUrl;
    for (let hop = 0; hop < 12; hop++) {
      const page = await send(url);
      if (page.status === 200 && new URL(url).pathname.startsWith('/interaction/')) {
        // the reference's login or consent form: submit it as a person would
        const actions = [...page.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
        const action =
          actions.find((a) => a.endsWith('/login')) ?? actions.find((a) => a.endsWith('/confirm'));
        if (!action) throw new Error(`no login or consent form in the interaction page at ${url}`);
        const form = action.endsWith('/login') ? reference.user : {};
        const submitted = await send(new URL(action, url).href, form);
        if (!submitted.location) throw new Error(`submitting ${action} answered ${submitted.status}`);
        url = new URL(submitted.location, url).href;
        continue;
      }
      if (page.status < 300 || page.status >= 400 || !page.location)
        throw new Error(`${url} answered ${page.status}: ${page.text.slice(0, 200)}`);
      const next = new URL(page.location, url);
      if (next.origin !== issuerOrigin) {
        // the redirect back to the tool's callback server ends the visit
        await send(next.href);
        return;
      }
      url = next.href;
    }
    throw new Error('too many redirects at the authorization server');
  } finally {
    await dispatcher.close();
  }
}

/** One `conformance authorization --url <issuer>` run; reads every checks.json it wrote. */
async function onceOfficial(node, cli, reference) {
  const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-bench-official-'));
  try {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: reference.ca, PROBE_LOOPBACK_ONLY: '1' };
    for (const proxy of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NODE_USE_ENV_PROXY'])
      delete env[proxy];
    const port = await freePort();
    const clientId = await registerCallbackClient(reference, port);
    let browser;
    const run = await measure(
      node.bin,
      [
        cli,
        'authorization',
        '--url',
        reference.issuer,
        '--client-id',
        clientId,
        '--resource',
        reference.url,
        '--port',
        String(port),
        '--output-dir',
        join(work, 'results'),
      ],
      {
        env,
        cwd: work,
        onStdout: (stdout) => {
          const url = /^(https:\/\/\S+\?\S*code_challenge=\S+)$/m.exec(stdout)?.[1];
          if (url && !browser)
            browser = playBrowser(url, reference).then(
              () => undefined,
              (error) => error.message,
            );
        },
      },
    );
    const browserFailure = await browser;
    const checks = [];
    const scenarios = [];
    const resultsDirectory = join(work, 'results');
    for (const entry of existsSync(resultsDirectory) ? readdirSync(resultsDirectory) : []) {
      const file = join(resultsDirectory, entry, 'checks.json');
      if (!existsSync(file)) continue;
      scenarios.push(entry.replace(/^authorization-server-|-\d{4}-\d{2}-\d{2}T.*$/g, ''));
      checks.push(...JSON.parse(readFileSync(file, 'utf8')));
    }
    return {
      ...run,
      checks,
      scenarios,
      requests: Number(run.probed('REQUESTS')[0] ?? 0),
      origins: run.probed('ORIGIN'),
      offLoopback: run.probed('OFF_LOOPBACK'),
      browser: browser
        ? (browserFailure ?? 'signed in and consented')
        : 'the tool printed no authorization URL',
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function officialRow(reference) {
  const version = options['official-version'];
  const title = `official @modelcontextprotocol/conformance@${version} \`authorization --url <issuer> --client-id <registered> --resource <MCP URL>\`: the same reference authorization server`;
  if (!isLoopbackHost(new URL(reference.issuer).hostname))
    return skipped(title, `the issuer ${reference.issuer} is not a loopback address`);
  const node = findNode22();
  if (node.skip) return skipped(title, `no Node 22 (it requires Node >= 22): ${node.skip}`);
  const official = findOfficialCli(node, version);
  if (official.skip) return skipped(title, official.skip);

  const samples = [];
  for (let i = 0; i < runs; i++) {
    const sample = await onceOfficial(node, official.cli, reference);
    if (sample.offLoopback.length > 0)
      return skipped(
        title,
        `it tried to connect to ${[...new Set(sample.offLoopback)].join(', ')} (not loopback; refused by the probe), so no figures are reported`,
      );
    if (sample.checks.length === 0)
      return skipped(title, `it wrote no checks.json (exit ${sample.code}): ${lastLines(sample.stderr)}`);
    samples.push(sample);
  }
  const last = samples.at(-1);
  const wallMs = median(samples.map((s) => s.wallMs));
  const tally = {};
  for (const check of last.checks) tally[check.status] = (tally[check.status] ?? 0) + 1;
  const lines = [
    `${title}, ${samples.length} run(s), Node ${node.version}`,
    ...processLines(samples, 'whole process, Node 22 start-up included'),
    `  checked          ${last.checks.length} checks in ${last.scenarios.length} scenarios (${last.scenarios.join(', ')}): ${counts(tally)}`,
  ];
  for (const check of last.checks.filter((c) => c.status !== 'SUCCESS'))
    lines.push(
      `                     ${check.id} ${check.status}: ${check.errorMessage ?? check.description}`,
    );
  lines.push(
    `  code grant       the bench registered a public client for the tool's callback server and played the person at the browser: ${last.browser}`,
  );
  lines.push(
    `  checks/s         ${((last.checks.filter((c) => c.status !== 'SKIPPED').length / wallMs) * 1000).toFixed(0)} executed/s, ${((last.checks.length / wallMs) * 1000).toFixed(0)} all/s`,
    `  requests sent    ${last.requests} per run (undici requests counted by the probe), to ${last.origins.join(', ') || 'no origin'}; loopback only, enforced by the probe`,
  );
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

// --- the hostile run ---------------------------------------------------------------------------------

async function hostileRow() {
  const title =
    'hostile run: valid metadata, then 100 MB, 50 MB, endless and gzip-bomb bodies (target file, default limits)';
  let fixtures;
  try {
    fixtures = {
      ...(await import('../dist/fixtures/hostile/index.js')),
      ...(await import('../dist/fixtures/hostile/cases.js')),
    };
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return skipped(title, 'dist/fixtures not found: run `npm run build` first');
  }
  const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-bench-hostile-'));
  const samples = [];
  const served = {};
  let received = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const behaviour = fixtures.memoryHostileBodiesBehindMetadata();
      const server = await fixtures.startHostileServer(behaviour);
      try {
        writeFileSync(
          join(work, 'target.yaml'),
          [
            'schema: mcp-conformance/target/v1',
            `mcp: { url: "${server.origin}/mcp" }`,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a target-file environment reference
            'clients: { confidential: { client_id: bench-client, client_secret: "${env:BENCH_HOSTILE_SECRET}" } }',
            '',
          ].join('\n'),
        );
        samples.push(
          await once(['run', '--target', join(work, 'target.yaml')], {
            BENCH_HOSTILE_SECRET: 'bench-hostile-secret',
          }),
        );
      } finally {
        await server.stop();
      }
      Object.assign(served, behaviour.served);
      received = server.received.length;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  print(title, samples, [
    `  hostile server   ${received} requests received in the last run; bodies served: ${counts(served)}`,
  ]);
}

// --- the rows ----------------------------------------------------------------------------------------

if (rows.includes('default')) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await once(['run']));
  const wall = median(samples.map((s) => s.wallMs));
  print(
    'full default run: embedded reference target, profile mcp-2025-11-25, browser suites included',
    samples,
    [
      `  wall target      at most ${seconds(FULL_RUN_TARGET_MS)} on a 2-core machine: ${wall <= FULL_RUN_TARGET_MS ? 'met' : 'NOT met'} (median ${seconds(wall)}, ${availableParallelism()} cores here)`,
    ],
  );
}

if (rows.includes('nobrowser')) {
  const suites = browserlessSuites('mcp-2025-11-25');
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await once(['run', '--suite', suites.join(',')]));
  print(
    `no-browser run: the same, without the suites that drive a browser (${suites.length} suites)`,
    samples,
  );
}

if (rows.includes('url') || rows.includes('official')) {
  const reference = await startReference();
  try {
    if (rows.includes('url')) {
      const samples = [];
      for (let i = 0; i < runs; i++)
        samples.push(await once(['run', '--url', reference.url, '--ca', reference.ca]));
      print('--url run: the reference MCP URL alone, no target file (reference already running)', samples);
    }
    if (rows.includes('official')) await officialRow(reference);
  } finally {
    reference.stop();
  }
}

if (rows.includes('hostile')) await hostileRow();
