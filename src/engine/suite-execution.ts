import { formatPosition } from '../errors.js';
import type { Assertion, Step, StepAction, Suite } from '../suite/model.js';
import { MissingValueError, renderTemplates } from '../suite/template.js';
import { describeQuery, evaluatePredicate, runQuery } from './assertions.js';
import { type BrowserStepResult, runAuthorizeFlow, runRevokeConsent } from './browser/authorize-flow.js';
import { BrowserSessions } from './browser/browser-session.js';
import type { RecordedExchange, ResponseView } from './exchange.js';
import { clientForTarget, type HttpClient, type OutgoingRequest } from './http-client.js';
import { Redactor } from './redact.js';
import { responseJson } from './response-json.js';
import { lookupContext, type RunContext } from './run-context.js';
import { buildRequest, credentialOrigins } from './step-requests.js';
import { outcomeForBrokenAssertion, type Verdict } from './verdict.js';

/** Response members whose values are credentials, wherever they appear. */
const SECRET_MEMBERS = [
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'registration_access_token',
];

/** A client registered during the run that is still there at its end. */
export interface LeftoverClient {
  clientId: string;
  reason: string;
}

/** The result of running one step: skipped (with the reason), failed to get a response, or a response. */
export type StepRun =
  | { kind: 'skipped'; reason: string }
  | { kind: 'error'; reason: string; exchanges: RecordedExchange[]; artifacts?: string[] }
  | { kind: 'response'; response: ResponseView; exchanges: RecordedExchange[]; artifacts?: string[] };

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
  /** every exchange of the suite, also those of steps without assertions (for the reports and HAR) */
  readonly exchanges: RecordedExchange[] = [];
  /** called with each exchange as soon as it is recorded (redacted), e.g. to stream it with --verbose */
  onExchange?: (exchange: RecordedExchange) => void;
  /** clients registered during this suite, deleted at its end (RFC 7592 §2.3) */
  private readonly registrations: { clientUri: string; accessToken: string; clientId: string }[] = [];
  /** clients registered without a way to delete them */
  private readonly unmanageable: LeftoverClient[] = [];
  /** client secrets handed out during the suite, and the origin that handed each out */
  private readonly issuedSecrets = new Map<string, string>();
  private readonly browser: BrowserSessions;

  constructor(
    readonly suite: Suite,
    private readonly context: RunContext,
  ) {
    this.client = clientForTarget(context.target, this.redactor);
    this.browser = new BrowserSessions(context.browser, context.target, this.redactor, suite.id);
  }

  /**
   * Deletes the clients this suite registered (RFC 7592 §2.3) and closes the connections. Returns the
   * clients that could not be deleted, with the reason, for the report.
   */
  async close(): Promise<LeftoverClient[]> {
    const left: LeftoverClient[] = [...this.unmanageable];
    for (const registration of this.registrations) {
      const origin = new URL(registration.clientUri).origin;
      if (!credentialOrigins(this.context).has(origin)) {
        left.push({
          clientId: registration.clientId,
          reason: `its management URI ${registration.clientUri} is outside the target's origins`,
        });
        continue;
      }
      const { response, error } = await this.client.send({
        method: 'DELETE',
        url: registration.clientUri,
        headers: { authorization: `Bearer ${registration.accessToken}` },
      });
      if (response?.status !== 204) {
        left.push({
          clientId: registration.clientId,
          reason: response
            ? `DELETE ${registration.clientUri} answered ${response.status}, not 204`
            : (error?.message ?? 'no response'),
        });
      }
    }
    await Promise.all([this.client.close(), this.browser.close()]);
    return left.map((entry) => this.redactor.value(entry));
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
      exchanges: run.kind !== 'skipped' ? run.exchanges : [],
      ...(run.kind !== 'skipped' && run.artifacts?.length ? { artifacts: run.artifacts } : {}),
    };
    if (run.kind === 'skipped') return { ...base, outcome: 'skipped', message: run.reason };
    if (run.kind === 'error') return { ...base, outcome: 'error', message: run.reason };
    for (const name of assertion.needs) {
      if (this.lookup(name) === undefined)
        return { ...base, outcome: 'skipped', message: this.missingReason(name) };
    }
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

  /**
   * Tokens, codes and client secrets a response hands out are secrets from then on: they are
   * redacted from this exchange and everything after it. Registrations are tracked for deletion at
   * the end of the suite, including a rotated registration token (RFC 7592 §2.1) and a client the
   * suite deleted itself (§2.3).
   */
  private learnFromResponse(action: StepAction, request: OutgoingRequest, response: ResponseView): void {
    const registration = this.registrations.find((r) => r.clientUri === request.url);
    if (registration && request.method === 'DELETE' && response.status === 204) {
      this.registrations.splice(this.registrations.indexOf(registration), 1);
      return;
    }
    const document = responseJson(response);
    if (!document.ok || !document.value || typeof document.value !== 'object') return;
    const body = document.value as Record<string, unknown>;
    for (const name of SECRET_MEMBERS) if (typeof body[name] === 'string') this.redactor.add(body[name]);
    if (typeof body.client_secret === 'string')
      this.issuedSecrets.set(body.client_secret, new URL(request.url).origin);
    const {
      registration_client_uri: clientUri,
      registration_access_token: accessToken,
      client_id: clientId,
    } = body;
    if (registration && typeof accessToken === 'string') registration.accessToken = accessToken;
    if (action.kind !== 'register' || typeof clientId !== 'string') return;
    if (typeof clientUri === 'string' && typeof accessToken === 'string') {
      this.registrations.push({ clientUri, accessToken, clientId });
    } else {
      this.unmanageable.push({
        clientId,
        reason: 'the registration response offers no RFC 7592 management URI and token',
      });
    }
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
    const run = await this.send(step);
    // a later step that needs this one's captures says why they are missing
    if (run.kind === 'skipped') {
      for (const name of Object.keys(step.capture))
        this.missingCaptures[name] ??= `step "${step.id}" did not run (${run.reason})`;
    }
    return run;
  }

  private async send(step: Step): Promise<StepRun> {
    for (const name of [...this.suite.needs, ...step.needs]) {
      if (this.lookup(name) === undefined) return { kind: 'skipped', reason: this.missingReason(name) };
    }
    let action: StepAction;
    try {
      action = renderTemplates(step.action, (name) => this.lookup(name));
    } catch (error) {
      if (error instanceof MissingValueError)
        return { kind: 'skipped', reason: this.missingReason(error.valueName) };
      throw error;
    }
    if (action.kind === 'authorize' || action.kind === 'revoke_consent') {
      const environment = {
        context: this.context,
        sessions: this.browser,
        addSecret: (value: string) => this.redactor.add(value),
        stepLabel: step.id,
      };
      const result =
        action.kind === 'authorize'
          ? await runAuthorizeFlow(action.spec, environment)
          : await runRevokeConsent(action.spec, environment);
      return this.browserStepRun(step, result);
    }
    const built = await buildRequest(action, this.context, this.issuedSecrets);
    if (built.kind === 'missing') return { kind: 'skipped', reason: `needs ${built.name}: ${built.why}` };
    if (built.kind === 'refused')
      return { kind: 'error', reason: `step "${step.id}" not sent: ${built.why}`, exchanges: [] };
    for (const secret of built.secrets ?? []) this.redactor.add(secret);
    if (step.delay_ms) await new Promise((resolve) => setTimeout(resolve, step.delay_ms));
    const sent = await this.client.send(built.request);
    if (sent.response) {
      this.learnFromResponse(action, built.request, sent.response);
      sent.exchange = this.redactor.value(sent.exchange);
    }
    this.exchanges.push(sent.exchange);
    this.onExchange?.(this.redactor.value(sent.exchange));
    if (!sent.response) {
      const reason = sent.error?.message ?? 'no response';
      for (const name of Object.keys(step.capture))
        this.missingCaptures[name] = `step "${step.id}" got no response`;
      return {
        kind: 'error',
        reason: `step "${step.id}" (${formatPosition(step.position)}) got no response: ${reason}`,
        exchanges: [sent.exchange],
      };
    }
    this.captureFrom(step, sent.response);
    return { kind: 'response', response: sent.response, exchanges: [sent.exchange] };
  }

  private browserStepRun(step: Step, result: BrowserStepResult): StepRun {
    if (result.kind === 'missing') return { kind: 'skipped', reason: `needs ${result.name}: ${result.why}` };
    if (result.kind === 'refused')
      return { kind: 'error', reason: `step "${step.id}" not run: ${result.why}`, exchanges: [] };
    this.exchanges.push(...result.exchanges);
    if (result.kind === 'failed') {
      for (const name of Object.keys(step.capture)) this.missingCaptures[name] = `step "${step.id}" failed`;
      return {
        kind: 'error',
        reason: this.redactor.text(`step "${step.id}" (${formatPosition(step.position)}): ${result.reason}`),
        exchanges: result.exchanges,
        artifacts: result.artifacts,
      };
    }
    this.captureFrom(step, result.response);
    return {
      kind: 'response',
      response: result.response,
      exchanges: result.exchanges,
      artifacts: result.artifacts,
    };
  }

  private captureFrom(step: Step, response: ResponseView): void {
    for (const [name, query] of Object.entries(step.capture)) {
      const result = runQuery(query, { response, captures: this.captures });
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
  }
}
