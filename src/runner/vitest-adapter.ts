/**
 * The one place that talks to vitest's Node API. It runs the selected suite files as vitest test
 * modules with our own configuration — never a vitest or vite config found on disk — and turns
 * vitest's test cases back into verdicts.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestModule, TestSpecification } from 'vitest/node';
import type { RecordedExchange } from '../engine/exchange.js';
import type { RunContext } from '../engine/run-context.js';
import type { LeftoverClient } from '../engine/suite-execution.js';
import type { Verdict } from '../engine/verdict.js';
import { packageRoot } from '../package-root.js';
import { browserStepCount, type Suite } from '../suite/model.js';

export interface SuiteRunOptions {
  /** suites to run, each with `absolutePath` of its file */
  suites: { suite: Suite; absolutePath: string }[];
  context: RunContext;
  /** a regular expression over `suite/assertion` ids */
  grep?: string;
  /** vitest's `--shard`, e.g. "1/3" */
  shard?: string;
  maxWorkers?: number;
  onSuiteDone?: (suiteId: string, verdicts: Verdict[]) => void;
  /** each exchange (redacted) as soon as a worker made it; streamed through test annotations */
  onExchange?: (suiteId: string, exchange: RecordedExchange) => void;
}

export interface SuiteRunResult {
  verdicts: Verdict[];
  /** every exchange each suite made, by suite id */
  exchanges: Record<string, RecordedExchange[]>;
  /** how long each suite's tests and hooks took, in milliseconds */
  suiteDurations: Record<string, number>;
  /** clients registered during the run that are still there */
  leftoverClients: (LeftoverClient & { suite: string })[];
  /** errors outside any assertion (a module that failed to load, an unhandled rejection) */
  problems: string[];
}

/** The annotation type that carries one exchange (JSON) from a worker to the main process. */
export const EXCHANGE_ANNOTATION = 'mcp-conformance:exchange';

const moduleExtension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const suiteModulePath = fileURLToPath(new URL(`./suite-module${moduleExtension}`, import.meta.url));
/**
 * The compiled engine (dist/) is plain Node ESM: the workers import it natively instead of through
 * vite's transform, which a checkout (not under node_modules, so not external by default) would pay for.
 */
const compiledEngine =
  moduleExtension === '.js'
    ? [new RegExp(`^${escapeRegExp(fileURLToPath(new URL('../', import.meta.url)))}`)]
    : [];

export async function runSuitesWithVitest(options: SuiteRunOptions): Promise<SuiteRunResult> {
  const byFile = new Map(options.suites.map((entry) => [entry.absolutePath, entry.suite]));
  const verdicts: Verdict[] = [];
  const problems: string[] = [];
  const leftoverClients: SuiteRunResult['leftoverClients'] = [];
  const suiteDurations: Record<string, number> = {};
  const exchanges: Record<string, RecordedExchange[]> = {};
  const collector: Reporter = {
    onTestModuleEnd(testModule) {
      const suite = byFile.get(testModule.moduleId);
      for (const left of testModule.meta().leftoverClients ?? [])
        leftoverClients.push({ ...left, suite: suite?.id ?? testModule.moduleId });
      const moduleVerdicts = collectVerdicts(testModule, suite, problems);
      if (suite) suiteDurations[suite.id] = Math.round(testModule.diagnostic().duration);
      if (suite) exchanges[suite.id] = testModule.meta().exchanges ?? [];
      verdicts.push(...moduleVerdicts);
      if (suite) options.onSuiteDone?.(suite.id, moduleVerdicts);
    },
    onTestCaseAnnotate(testCase, annotation) {
      if (annotation.type !== EXCHANGE_ANNOTATION || !options.onExchange) return;
      const suite = byFile.get(testCase.module.moduleId);
      options.onExchange(
        suite?.id ?? testCase.module.moduleId,
        JSON.parse(annotation.message) as RecordedExchange,
      );
    },
    onTestRunEnd(_modules, unhandledErrors) {
      for (const error of unhandledErrors) problems.push(`unhandled error: ${error.message}`);
    },
  };
  const timeoutMs = options.context.target.options.timeoutMs;
  const browserSuites = options.suites.filter(({ suite }) => browserStepCount(suite) > 0).length;
  const longestSuite = Math.max(1, ...options.suites.map(({ suite }) => suite.steps.length));
  // loaded on demand: vitest is the heaviest import, and `validate`, `list` and `coverage` never need it
  const { BaseSequencer, createVitest } = await import('vitest/node');
  // The browser suites are the run's long poles: they start first, each in a worker of its own, and
  // the other suites share the remaining worker(s) meanwhile.
  class LongestFirst extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const weight = (file: TestSpecification) => {
        const suite = byFile.get(file.moduleId);
        return suite ? browserStepCount(suite) * 1000 + suite.steps.length : 0;
      };
      return [...files].sort((a, b) => weight(b) - weight(a));
    }
  }
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: packageRoot,
      include: options.suites.map((entry) => relative(packageRoot, entry.absolutePath)),
      watch: false,
      isolate: false,
      pool: 'threads',
      // each worker thread costs start-up and memory: one per core, or one per browser suite when
      // there are more (the other suites follow the shortest of them; measured best on 2 cores)
      maxWorkers:
        options.maxWorkers ??
        Math.max(1, Math.min(Math.max(availableParallelism(), browserSuites), options.suites.length)),
      sequence: { sequencer: LongestFirst },
      server: { deps: { external: compiledEngine } },
      fileParallelism: true,
      passWithNoTests: true,
      reporters: [collector],
      provide: {
        mcpConformance: options.context,
        mcpConformanceStreamExchanges: Boolean(options.onExchange),
      },
      // every request has its own deadline; this only bounds a test waiting for earlier steps
      testTimeout: timeoutMs * (longestSuite + 1) + 5000,
      hookTimeout: timeoutMs + 5000,
      ...(options.grep ? { testNamePattern: options.grep } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      cache: false,
    },
    {
      logLevel: 'silent',
      cacheDir: join(tmpdir(), 'mcp-conformance-vite'),
      plugins: [
        {
          name: 'mcp-conformance-suites',
          enforce: 'pre',
          load(id) {
            const suite = byFile.get(id);
            if (!suite) return null;
            return `import { defineSuiteTests } from ${JSON.stringify(suiteModulePath)};\ndefineSuiteTests(${JSON.stringify(suite)});\n`;
          },
        },
      ],
    },
  );
  try {
    await vitest.start();
  } finally {
    await vitest.close();
  }
  return { verdicts, problems, leftoverClients, suiteDurations, exchanges };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function collectVerdicts(testModule: TestModule, suite: Suite | undefined, problems: string[]): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const error of testModule.errors()) {
    problems.push(`${suite?.file ?? testModule.moduleId}: ${error.message}`);
  }
  for (const testCase of testModule.children.allTests()) {
    const verdict = testCase.meta().verdict;
    if (verdict) {
      verdicts.push(verdict);
      continue;
    }
    const result = testCase.result();
    // a test left out by --grep or --shard carries no verdict and is not part of this run
    if (result.state === 'skipped' || result.state === 'pending') continue;
    const [suiteId, assertionId] = testCase.name.split('/');
    const assertion = suite?.steps
      .flatMap((step) => step.expect.map((a) => ({ step, a })))
      .find(({ a }) => a.id === assertionId);
    if (!suite || !assertion) {
      problems.push(`${testCase.name}: finished without a verdict`);
      continue;
    }
    verdicts.push({
      suite: suiteId!,
      id: assertion.a.id,
      step: assertion.step.id,
      requirements: assertion.a.requirements,
      severity: assertion.a.severity,
      hint: assertion.a.hint,
      position: assertion.a.position,
      exchanges: [],
      outcome: 'error',
      message: `crashed before reaching a verdict: ${result.state === 'failed' ? (result.errors[0]?.message ?? 'unknown error') : result.state}`,
    });
  }
  return verdicts;
}
