import { formatPosition } from '../errors.js';
import type { Assertion, HttpRequestSpec, Step, Suite } from '../suite/model.js';
import { MissingValueError, renderTemplates } from '../suite/template.js';
import { describeQuery, evaluatePredicate, runQuery } from './assertions.js';
import type { RecordedExchange, ResponseView } from './exchange.js';
import { HttpClient } from './http-client.js';
import { Redactor } from './redact.js';
import { lookupContext, type RunContext } from './run-context.js';
import { outcomeForBrokenAssertion, type Verdict } from './verdict.js';

/** The result of running one step: skipped (with the reason), failed to get a response, or a response. */
export type StepRun =
  | { kind: 'skipped'; reason: string }
  | { kind: 'error'; reason: string; exchange: RecordedExchange }
  | { kind: 'response'; response: ResponseView; exchange: RecordedExchange };

/**
 * Runs a suite's steps in order, each at most once, on demand: an assertion asks for its step, and
 * the steps before it run first (their captures may be needed). Each assertion is then evaluated on
 * its own, so one broken assertion never takes its siblings down.
 */
export class SuiteExecution {
  readonly redactor = new Redactor();
  private readonly client: HttpClient;
  private readonly captures: Record<string, unknown> = {};
  private readonly missingCaptures: Record<string, string> = {};
  private readonly runs = new Map<number, Promise<StepRun>>();
  private readonly gates = new Map<Assertion, Promise<Verdict>>();

  constructor(
    readonly suite: Suite,
    private readonly context: RunContext,
  ) {
    for (const secret of context.target.secrets) this.redactor.add(secret);
    this.client = new HttpClient({
      ...(context.target.caPem ? { ca: context.target.caPem } : {}),
      timeoutMs: context.target.options.timeoutMs,
      maxBytes: context.target.options.maxResponseBytes,
      redactor: this.redactor,
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  runStep(index: number): Promise<StepRun> {
    let run = this.runs.get(index);
    if (!run) {
      const previous = index > 0 ? this.runStep(index - 1) : Promise.resolve(undefined);
      run = previous.then(() => this.execute(this.suite.steps[index]!));
      this.runs.set(index, run);
    }
    return run;
  }

  /**
   * Evaluates an assertion. A gate assertion earlier in the step (say, the status check before the
   * body checks) that did not pass makes this one not applicable, with the gate's reason.
   */
  async evaluate(stepIndex: number, assertion: Assertion): Promise<Verdict> {
    const step = this.suite.steps[stepIndex]!;
    const run = await this.runStep(stepIndex);
    const base = {
      suite: this.suite.id,
      id: assertion.id,
      step: step.id,
      ...(assertion.title ? { title: assertion.title } : {}),
      requirements: assertion.requirements,
      severity: assertion.severity,
      hint: assertion.hint,
      position: assertion.position,
      exchanges: run.kind === 'skipped' ? [] : [run.exchange],
    };
    if (run.kind === 'skipped') return { ...base, outcome: 'skipped', message: run.reason };
    if (run.kind === 'error') return { ...base, outcome: 'error', message: run.reason };
    for (const earlier of step.expect.slice(0, step.expect.indexOf(assertion))) {
      if (!earlier.gate) continue;
      const gate = await this.gateVerdict(stepIndex, earlier);
      if (gate.outcome !== 'passed') {
        return {
          ...base,
          outcome: 'skipped',
          message: `not applicable: ${earlier.id} did not pass (${gate.message})`,
        };
      }
    }
    try {
      const predicate = renderTemplates(assertion.predicate, (name) => this.lookup(name));
      const result = evaluatePredicate(
        predicate,
        runQuery(assertion.query, {
          response: run.response,
          captures: this.captures,
          discovery: this.context.discovery,
        }),
      );
      if (result.ok) return { ...base, outcome: 'passed', message: assertion.title ?? 'passed' };
      const redacted = this.redactor.value({ expected: result.expected, actual: result.actual });
      return {
        ...base,
        outcome: outcomeForBrokenAssertion(assertion.severity),
        message: this.redactor.text(`${describeQuery(assertion.query)} ${result.message}`),
        ...(redacted.expected !== undefined ? { expected: redacted.expected } : {}),
        ...(redacted.actual !== undefined ? { actual: redacted.actual } : {}),
      };
    } catch (error) {
      if (error instanceof MissingValueError) {
        return { ...base, outcome: 'skipped', message: this.missingReason(error.valueName) };
      }
      return {
        ...base,
        outcome: 'error',
        message: this.redactor.text(`could not evaluate: ${(error as Error).message}`),
      };
    }
  }

  private gateVerdict(stepIndex: number, gate: Assertion): Promise<Verdict> {
    let verdict = this.gates.get(gate);
    if (!verdict) {
      verdict = this.evaluate(stepIndex, gate);
      this.gates.set(gate, verdict);
    }
    return verdict;
  }

  private lookup(name: string): unknown {
    if (name.startsWith('capture.')) return this.captures[name.slice('capture.'.length)];
    const found = lookupContext(this.context, name);
    return 'value' in found ? found.value : undefined;
  }

  private missingReason(name: string): string {
    if (name.startsWith('capture.')) {
      const key = name.slice('capture.'.length);
      return `needs ${name}: ${this.missingCaptures[key] ?? 'not captured'}`;
    }
    const found = lookupContext(this.context, name);
    return `needs ${name}: ${'missing' in found ? found.missing : 'no value'}`;
  }

  private async execute(step: Step): Promise<StepRun> {
    for (const name of [...this.suite.needs, ...step.needs]) {
      if (this.lookup(name) === undefined) return { kind: 'skipped', reason: this.missingReason(name) };
    }
    let spec: HttpRequestSpec;
    try {
      spec = renderTemplates(step.request, (name) => this.lookup(name));
    } catch (error) {
      if (error instanceof MissingValueError)
        return { kind: 'skipped', reason: this.missingReason(error.valueName) };
      throw error;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name.toLowerCase()] = value;
    let body: string | undefined;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers['content-type'] ??= 'application/json';
    } else if (spec.form) {
      body = new URLSearchParams(spec.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (spec.body !== undefined) {
      body = spec.body;
    }
    const sent = await this.client.send({
      method: spec.method,
      url: spec.url,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(spec.follow_redirects ? { followRedirects: true } : {}),
      ...(spec.timeout_ms ? { timeoutMs: spec.timeout_ms } : {}),
      ...(spec.max_bytes ? { maxBytes: spec.max_bytes } : {}),
    });
    if (!sent.response) {
      const reason = sent.error?.message ?? 'no response';
      for (const name of Object.keys(step.capture))
        this.missingCaptures[name] = `step "${step.id}" got no response`;
      return {
        kind: 'error',
        reason: `step "${step.id}" (${formatPosition(step.position)}) got no response: ${reason}`,
        exchange: sent.exchange,
      };
    }
    for (const [name, query] of Object.entries(step.capture)) {
      const result = runQuery(query, { response: sent.response, captures: this.captures });
      if (result.found && (!result.nodes || result.nodes.length > 0)) {
        this.captures[name] = result.nodes
          ? result.nodes.length === 1
            ? result.nodes[0]
            : result.nodes
          : result.value;
      } else {
        this.missingCaptures[name] =
          `step "${step.id}" found no ${describeQuery(query)}${result.found ? '' : ` (${result.why})`}`;
      }
    }
    return { kind: 'response', response: sent.response, exchange: sent.exchange };
  }
}
