import { readFileSync } from 'node:fs';
import { launchRunBrowser, type RunBrowser } from '../engine/browser/browser-server.js';
import { type BrowserAvailability, NO_BROWSER_SCRIPT } from '../engine/browser/browser-session.js';
import { locateBrowser } from '../engine/browser/locate-browser.js';
import { discover } from '../engine/discovery.js';
import type { RecordedExchange } from '../engine/exchange.js';
import { clientForTarget } from '../engine/http-client.js';
import { Redactor } from '../engine/redact.js';
import type { RunContext } from '../engine/run-context.js';
import type { Verdict } from '../engine/verdict.js';
import { UserInputError } from '../errors.js';
import { packagePath } from '../package-root.js';
import type { CatalogEntry } from '../suite/catalog.js';
import { browserStepCount } from '../suite/model.js';
import type { Profile } from '../suite/profile.js';
import type { Target } from '../suite/target.js';
import { buildReport, type RunReport } from './run-report.js';
import { runSuitesWithVitest } from './vitest-adapter.js';

export interface ConformanceRunOptions {
  target: Target;
  profile: Profile;
  /** the suites to run: `selectSuites(loadCatalog(), profile, ids)`, checked before any target starts */
  suites: CatalogEntry[];
  grep?: string;
  shard?: string;
  /** where browser screenshots and traces go (default: none kept) */
  artifactsDir?: string;
  /** a browser already running (kept open), e.g. one shared by many runs; default: one for this run */
  browser?: RunBrowser;
  /** this run's browser, started early by the caller with `startRunBrowser` (closed at the end) */
  browserStart?: Promise<StartedBrowser | undefined>;
  /** a browser flow with no browser to run it is an error, not a skipped check (the default under CI) */
  requireBrowser?: boolean;
  onProgress?: (message: string) => void;
  onSuiteDone?: (suiteId: string, verdicts: Verdict[]) => void;
  /** each HTTP exchange (redacted) as it happens: discovery's ("discovery"), then each suite's */
  onExchange?: (source: string, exchange: RecordedExchange) => void;
}

export const toolVersion: string = (
  JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }
).version;

/** Validates the suites, discovers the target once, runs the suites through vitest, builds the report. */
export async function runConformance(options: ConformanceRunOptions): Promise<RunReport> {
  const startedAt = new Date();
  const { target } = options;
  const redactor = new Redactor();
  const client = clientForTarget(target, redactor);
  // the browser (when a suite needs one) starts while discovery runs, if the caller has not started it
  const browserStart = options.browserStart ?? startRunBrowser(options);
  browserStart.catch(() => undefined);
  options.onProgress?.(`discovering ${target.mcp?.url ?? target.issuer}`);
  const discovery = await discover(target, client)
    .catch(async (error: unknown) => {
      await (await browserStart.catch(() => undefined))?.running?.close();
      throw error;
    })
    .finally(() => client.close());
  for (const exchange of discovery.exchanges) options.onExchange?.('discovery', redactor.value(exchange));
  for (const name of ['prm_url', 'issuer', 'as_metadata_url'] as const) {
    const found = discovery.values[name];
    options.onProgress?.(
      `  ${name.padEnd(16)} ${found ?? `not found: ${discovery.missing[name] ?? 'not looked up'}`}`,
    );
  }
  const { expectedFailures: _e, source: _s, ...targetData } = target;
  const browser = await browserStart;
  const context: RunContext = {
    target: targetData,
    discovery: { values: discovery.values, missing: discovery.missing },
    ...(browser ? { browser: browser.availability } : {}),
  };
  options.onProgress?.(`running ${options.suites.length} suites (profile ${options.profile.id})`);
  const { verdicts, problems, leftoverClients, suiteDurations, exchanges } = await runSuitesWithVitest({
    suites: options.suites,
    context,
    ...(options.grep ? { grep: options.grep } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.onSuiteDone ? { onSuiteDone: options.onSuiteDone } : {}),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
  }).finally(() => browser?.running?.close());
  return buildReport({
    verdicts,
    problems: problems.map((problem) => redactor.text(problem)),
    leftoverClients,
    suiteDurations,
    suiteExchanges: exchanges,
    expectedFailures: target.expectedFailures,
    tool: { name: 'mcp-conformance', version: toolVersion },
    startedAt,
    target: {
      name: target.name,
      ...(discovery.values.issuer ? { issuer: discovery.values.issuer } : {}),
      ...(target.mcp ? { mcpUrl: target.mcp.url } : {}),
    },
    profile: options.profile.id,
    ...(options.shard ? { shard: options.shard } : {}),
  });
}

/** The run's browser: where suites connect, or why there is none; `running` when the run owns it. */
export interface StartedBrowser {
  availability: BrowserAvailability;
  running?: RunBrowser;
}

/**
 * Starts the run's one browser when a selected suite has a browser step (or takes the shared one
 * given). No browser found is a reason every browser step reports as it skips, or, when the run
 * requires a browser, an error.
 */
export async function startRunBrowser(
  options: Pick<
    ConformanceRunOptions,
    'suites' | 'browser' | 'artifactsDir' | 'requireBrowser' | 'onProgress'
  > & { target: Pick<Target, 'browser'> },
): Promise<StartedBrowser | undefined> {
  const needed = options.suites.some(({ suite }) => browserStepCount(suite) > 0);
  if (!needed) return undefined;
  if (!options.target.browser) {
    return {
      availability: { missing: NO_BROWSER_SCRIPT },
    };
  }
  const artifacts = options.artifactsDir ? { artifactsDir: options.artifactsDir } : {};
  if (options.browser) return { availability: { wsEndpoint: options.browser.wsEndpoint, ...artifacts } };
  const location = await locateBrowser(options.target.browser.executablePath);
  if ('missing' in location) {
    if (options.requireBrowser) throw new UserInputError(`browser suites selected but ${location.missing}`);
    options.onProgress?.(`browser: none, browser steps will be skipped (${location.missing})`);
    return { availability: location };
  }
  options.onProgress?.(`browser: ${location.path} (from ${location.source})`);
  try {
    const running = await launchRunBrowser(location.path);
    return {
      availability: { wsEndpoint: running.wsEndpoint, ...artifacts },
      running,
    };
  } catch (error) {
    const missing = `${location.path} did not start: ${(error as Error).message.split('\n')[0]}`;
    if (options.requireBrowser) throw new UserInputError(`browser suites selected but ${missing}`);
    return { availability: { missing } };
  }
}
