import { readFileSync } from 'node:fs';
import { discover } from '../engine/discovery.js';
import type { RecordedExchange } from '../engine/exchange.js';
import { clientForTarget } from '../engine/http-client.js';
import { Redactor } from '../engine/redact.js';
import type { RunContext } from '../engine/run-context.js';
import type { Verdict } from '../engine/verdict.js';
import { packagePath } from '../package-root.js';
import type { CatalogEntry } from '../suite/catalog.js';
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
  options.onProgress?.(`discovering ${target.mcp?.url ?? target.issuer}`);
  const discovery = await discover(target, client).finally(() => client.close());
  for (const exchange of discovery.exchanges) options.onExchange?.('discovery', redactor.value(exchange));
  for (const name of ['prm_url', 'issuer', 'as_metadata_url'] as const) {
    const found = discovery.values[name];
    options.onProgress?.(
      `  ${name.padEnd(16)} ${found ?? `not found: ${discovery.missing[name] ?? 'not looked up'}`}`,
    );
  }
  const { expectedFailures: _e, source: _s, ...targetData } = target;
  const context: RunContext = {
    target: targetData,
    discovery: { values: discovery.values, missing: discovery.missing },
  };
  options.onProgress?.(`running ${options.suites.length} suites (profile ${options.profile.id})`);
  const { verdicts, problems, leftoverClients, suiteDurations, exchanges } = await runSuitesWithVitest({
    suites: options.suites,
    context,
    ...(options.grep ? { grep: options.grep } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.onSuiteDone ? { onSuiteDone: options.onSuiteDone } : {}),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
  });
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
