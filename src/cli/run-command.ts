import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderSuiteProgress } from '../../reporters/console.js';
import { renderExchangeLog } from '../../reporters/exchange-log.js';
import type { RecordedExchange } from '../engine/exchange.js';
import { UserInputError } from '../errors.js';
import { runConformance, type StartedBrowser, startRunBrowser } from '../runner/run-conformance.js';
import { exitCodeFor } from '../runner/run-report.js';
import { loadBaseline, writeBaseline } from '../suite/baseline.js';
import { loadCatalog, selectSuites } from '../suite/catalog.js';
import { DEFAULT_PROFILE, loadProfile } from '../suite/profile.js';
import { loadTargetFile, type Target, targetFromUrl } from '../suite/target.js';
import { REFERENCE_BROWSER_SCRIPT, startEmbeddedTargetThread } from './embedded-target.js';
import { parseOptions, RUN_USAGE } from './main.js';
import { REPORTERS, writeReports } from './write-reports.js';

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    target: { type: 'string' },
    url: { type: 'string' },
    ca: { type: 'string' },
    profile: { type: 'string' },
    suite: { type: 'string' },
    grep: { type: 'string' },
    shard: { type: 'string' },
    reporter: { type: 'string' },
    out: { type: 'string' },
    har: { type: 'boolean' },
    verbose: { type: 'boolean' },
    'fail-on': { type: 'string' },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  if (values.target && values.url) throw new UserInputError('--target and --url cannot be used together');
  const failOn = values['fail-on'] ?? 'failure';
  if (failOn !== 'failure' && failOn !== 'warning')
    throw new UserInputError('--fail-on must be "failure" or "warning"');
  const reporters = (values.reporter ?? REPORTERS.join(',')).split(',').map((r) => r.trim());
  for (const reporter of reporters) {
    if (!(REPORTERS as readonly string[]).includes(reporter)) {
      throw new UserInputError(
        `--reporter: unknown reporter "${reporter}" (choose from ${REPORTERS.join(', ')})`,
      );
    }
  }
  if (values.grep) {
    try {
      new RegExp(values.grep);
    } catch (error) {
      throw new UserInputError(`--grep: ${(error as Error).message}`);
    }
  }
  // The embedded reference begins loading in its own thread at once; a mistake in the selection
  // ends that thread before it says anything.
  const embeddedStart = values.target || values.url ? undefined : startEmbeddedTargetThread();
  embeddedStart?.ready.catch(() => undefined);
  const { profile, catalog, suites, baseline } = await (async () => {
    try {
      const profile = loadProfile(values.profile ?? DEFAULT_PROFILE);
      const catalog = loadCatalog();
      const suites = selectSuites(
        catalog,
        profile,
        values.suite?.split(',').map((id) => id.trim()),
      );
      if (values.shard) checkShard(values.shard, suites.length);
      const baseline = values.baseline ? loadBaseline(values.baseline) : [];
      return { profile, catalog, suites, baseline };
    } catch (error) {
      await embeddedStart?.abort();
      throw error;
    }
  })();
  const progress = (message: string) => process.stderr.write(`${message}\n`);
  const outDirectory = resolve(values.out ?? 'conformance-report');

  // screenshots and traces of this run only
  const artifactsDir = join(outDirectory, 'browser');
  const requireBrowser = runsUnderCi();
  let target: Target;
  let stop = async () => {};
  let browserStart: Promise<StartedBrowser | undefined> | undefined;
  if (values.target) {
    target = loadTargetFile(values.target);
    if (profile.mcpServer && !target.mcp) {
      throw new UserInputError(
        `${target.source}: profile "${profile.id}" tests an MCP server, but the target has no "mcp" section; add mcp.url, or use --profile oauth for an authorization server alone`,
      );
    }
  } else if (values.url) target = targetFromUrl(values.url);
  else {
    progress('starting the embedded reference target (oidc-provider + MCP SDK server on 127.0.0.1)');
    // the browser starts while the reference does: both take a moment
    const starting = embeddedStart ?? startEmbeddedTargetThread();
    browserStart = startRunBrowser({
      suites,
      target: { browser: REFERENCE_BROWSER_SCRIPT },
      artifactsDir,
      requireBrowser,
      onProgress: progress,
    });
    // a browser that cannot start fails the run later, when it is needed: not an unhandled rejection now
    browserStart.catch(() => undefined);
    const closeBrowser = async () =>
      (await browserStart?.catch(() => undefined))?.running?.close().catch(() => undefined);
    const embedded = await starting.ready.catch(async (error: unknown) => {
      await closeBrowser();
      throw error;
    });
    target = embedded.target;
    stop = async () => {
      await embedded.stop();
      await closeBrowser();
    };
  }
  if (values.ca) target = { ...target, caPem: readCaFile(values.ca) };
  if (baseline.length) target = { ...target, expectedFailures: [...target.expectedFailures, ...baseline] };
  const onSignal = () => {
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  rmSync(artifactsDir, { recursive: true, force: true });
  try {
    const report = await runConformance({
      target,
      profile,
      suites,
      ...(values.grep ? { grep: values.grep } : {}),
      ...(values.shard ? { shard: values.shard } : {}),
      artifactsDir,
      requireBrowser,
      ...(browserStart ? { browserStart } : {}),
      onProgress: progress,
      onSuiteDone: (suiteId, verdicts) => progress(renderSuiteProgress(suiteId, verdicts)),
      ...(values.verbose
        ? {
            onExchange: (source: string, exchange: RecordedExchange) =>
              process.stderr.write(renderExchangeLog(source, exchange)),
          }
        : {}),
    });
    writeReports(report, outDirectory, reporters, Boolean(values.har), catalog);
    if (values['write-baseline']) {
      const count = writeBaseline(values['write-baseline'], report, target.expectedFailures);
      progress(`baseline with ${count} expected failures written to ${values['write-baseline']}`);
    }
    return exitCodeFor(report, failOn);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
  }
}

function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new UserInputError(`--ca: cannot read "${path}"`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new UserInputError(`--ca: "${path}" holds no PEM certificate`);
  return pem;
}

/**
 * vitest shards by test file: a shard index beyond the number of selected suite files would run
 * nothing and report an empty pass, so it is refused up front.
 */
export function checkShard(shard: string, suiteFiles: number): void {
  const match = /^([1-9]\d*)\/([1-9]\d*)$/.exec(shard);
  if (!match) throw new UserInputError(`--shard must look like 1/3, not "${shard}"`);
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (index > count)
    throw new UserInputError(`--shard ${shard}: the shard index is greater than the shard count`);
  if (count > suiteFiles) {
    throw new UserInputError(
      `--shard ${shard}: ${count} shards for ${suiteFiles} selected suite file${suiteFiles === 1 ? '' : 's'}; vitest shards by file, so use at most ${suiteFiles} shard${suiteFiles === 1 ? '' : 's'}`,
    );
  }
}

/** CI systems set CI (GitHub Actions, GitLab CI, and most others); there a missing browser is an error. */
function runsUnderCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
