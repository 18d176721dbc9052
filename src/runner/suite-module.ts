/**
 * The body of every suite test module: vitest loads a `*.suite.yaml` file, the suite plugin turns it
 * into a call of `defineSuiteTests`, and each assertion becomes one test named `suite/assertion`.
 * The verdict travels to the reporters in the test's meta; vitest's own pass/fail mirrors it.
 */
import { afterAll, inject, test } from 'vitest';
import type { RecordedExchange } from '../engine/exchange.js';
import type { RunContext } from '../engine/run-context.js';
import { type LeftoverClient, SuiteExecution } from '../engine/suite-execution.js';
import type { Verdict } from '../engine/verdict.js';
import { formatPosition } from '../errors.js';
import { qualifiedId, type Suite } from '../suite/model.js';
import { EXCHANGE_ANNOTATION } from './vitest-adapter.js';

declare module 'vitest' {
  interface ProvidedContext {
    mcpConformance: RunContext;
    /** stream every exchange to the main process as it happens (--verbose) */
    mcpConformanceStreamExchanges: boolean;
  }
  interface TaskMeta {
    verdict?: Verdict;
    /** on a module: clients it registered that could not be deleted */
    leftoverClients?: LeftoverClient[];
    /** on a module: every exchange its steps made, redacted */
    exchanges?: RecordedExchange[];
  }
}

export function defineSuiteTests(suite: Suite): void {
  const execution = new SuiteExecution(suite, inject('mcpConformance'));
  const stream = inject('mcpConformanceStreamExchanges');
  // vitest reads the first parameter's destructuring pattern to decide which fixtures to set up
  // biome-ignore lint/correctness/noEmptyPattern: the module is the second parameter
  afterAll(async ({}, module) => {
    const left = await execution.close();
    if (left.length) module.meta.leftoverClients = left;
    module.meta.exchanges = execution.redactor.value(execution.exchanges);
  });
  suite.steps.forEach((step, stepIndex) => {
    for (const assertion of step.expect) {
      test(qualifiedId(suite.id, assertion.id), async ({ task, skip, annotate }) => {
        // steps run inside the first test that needs them: their exchanges travel with that test
        const sent: Promise<unknown>[] = [];
        if (stream)
          execution.onExchange = (exchange) =>
            sent.push(annotate(JSON.stringify(exchange), EXCHANGE_ANNOTATION));
        const verdict = await execution.evaluate(stepIndex, assertion).finally(() => {
          execution.onExchange = undefined;
        });
        await Promise.all(sent);
        task.meta.verdict = verdict;
        if (verdict.outcome === 'skipped') skip(verdict.message);
        if (verdict.outcome === 'failed' || verdict.outcome === 'error') {
          throw new ConformanceFailure(verdict);
        }
      });
    }
  });
}

/** How a failed or unevaluable assertion shows in vitest's own output: position, message, data. */
class ConformanceFailure extends Error {
  constructor(verdict: Verdict) {
    const lines = [`${formatPosition(verdict.position)}: ${verdict.message}`];
    if (verdict.expected !== undefined) lines.push(`  expected: ${JSON.stringify(verdict.expected)}`);
    if (verdict.actual !== undefined) lines.push(`  actual:   ${JSON.stringify(verdict.actual)}`);
    lines.push(`  hint: ${verdict.hint}`);
    super(lines.join('\n'));
    this.name = verdict.outcome === 'error' ? 'EvaluationError' : 'ConformanceFailure';
    this.stack = `${this.name}: ${this.message}`;
  }
}
