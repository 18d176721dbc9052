import { formatPosition } from '../errors.js';
import type { Assertion, ClientDocumentSpec, Step, StepAction, Suite } from '../suite/model.js';
import { MissingValueError, renderTemplates, templateNames } from '../suite/template.js';
import { describeQuery, evaluatePredicate, runQuery } from './assertions.js';
import { type BrowserStepResult, runAuthorizeFlow, runRevokeConsent } from './browser/authorize-flow.js';
import { BrowserSessions } from './browser/browser-session.js';
import { type DocumentFetch, DocumentHost, fetchAsExchange, type ServedDocument } from './document-host.js';
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
  | {
      kind: 'error';
      reason: string;
      exchanges: RecordedExchange[];
      artifacts?: string[];
      fetches?: DocumentFetch[];
    }
  | {
      kind: 'response';
      response: ResponseView;
      exchanges: RecordedExchange[];
      artifacts?: string[];
      /** what the client document host received while the step ran, when the suite uses it */
      fetches?: DocumentFetch[];
    };

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
  /** the client document host, started by the first step that uses it (CIMD suites only) */
  private documentHost?: Promise<DocumentHost | { error: string }>;
  /** values of the `cimd` namespace while the document host runs */
  private hostValues: Record<string, string> = {};

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
    const host = await this.documentHost;
    await Promise.all([
      this.client.close(),
      this.browser.close(),
      host instanceof DocumentHost ? host.close() : undefined,
    ]);
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
      const query = renderTemplates(assertion.query, (name) => this.lookup(name));
      const result = evaluatePredicate(
        predicate,
        runQuery(query, {
          response: run.response,
          captures: this.captures,
          discovery: this.context.discovery,
          ...(run.fetches ? { fetches: run.fetches } : {}),
        }),
      );
      if (result.ok) return { ...base, outcome: 'passed', message: assertion.title ?? 'passed' };
      const redacted = this.redactor.value({ expected: result.expected, actual: result.actual });
      return {
        ...base,
        outcome: outcomeForBrokenAssertion(assertion.severity),
        message: this.redactor.text(`${describeQuery(query)} ${result.message}`),
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

  /**
   * For a step's `needs: [passed.ID]`: why the earlier assertion ID did not pass (a revocation that was
   * refused, say, so that checks of the revoked token would prove nothing), or undefined when it passed.
   */
  private async unmetPrerequisite(name: string): Promise<string | undefined> {
    const id = name.slice('passed.'.length);
    const stepIndex = this.suite.steps.findIndex((step) =>
      step.expect.some((assertion) => assertion.id === id),
    );
    const assertion = this.suite.steps[stepIndex]?.expect.find((candidate) => candidate.id === id);
    if (!assertion) return `needs ${name}: the suite has no assertion "${id}"`;
    const verdict = await this.gateVerdict(stepIndex, assertion);
    return verdict.outcome === 'passed'
      ? undefined
      : `needs ${name}: ${id} did not pass (${verdict.message})`;
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
    if (name.startsWith('cimd.')) return this.hostValues[name];
    const found = lookupContext(this.context, name);
    return 'value' in found ? found.value : undefined;
  }

  private missingReason(name: string): string {
    if (name.startsWith('cimd.')) {
      if (!this.context.target.cimd)
        return `needs ${name}: the target declares no client document host (cimd)`;
      if (name === 'cimd.document_url') return `needs ${name}: it is only defined inside a document`;
      return `needs ${name}: the client document host is not running`;
    }
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

  /** Whether a step (or its suite) uses the client document host: its documents, URLs or fetches. */
  private usesDocumentHost(step: Step): boolean {
    const names = [
      ...this.suite.needs,
      ...step.needs,
      ...templateNames(step.action),
      ...step.expect.flatMap((assertion) => [
        ...assertion.needs,
        ...templateNames(assertion.query),
        ...templateNames(assertion.predicate),
      ]),
    ];
    return (
      // suites and steps built by hand (tests) may leave `documents` out
      (this.suite.documents ?? []).length > 0 ||
      (step.documents ?? []).length > 0 ||
      step.expect.some((assertion) => assertion.query.kind === 'fetches') ||
      names.some((name) => name.startsWith('cimd.'))
    );
  }

  /** Starts the document host once and serves the suite's own documents. */
  private startDocumentHost(): Promise<DocumentHost | { error: string }> {
    const settings = this.context.target.cimd!;
    this.documentHost ??= DocumentHost.start({
      bind: settings.bind,
      port: settings.port,
      baseUrl: settings.baseUrl,
      certPem: settings.certPem,
      keyPem: settings.keyPem,
    }).then(
      (host) => {
        this.hostValues = {
          'cimd.base_url': host.baseUrl,
          'cimd.authority': new URL(host.baseUrl).host,
          'cimd.decoy_base_url': host.decoyBaseUrl,
        };
        try {
          this.serveDocuments(host, this.suite.documents ?? []);
        } catch (error) {
          return { error: `the suite's documents cannot be served: ${(error as Error).message}` };
        }
        return host;
      },
      (error: Error) => ({
        error: `the client document host could not start on ${settings.bind}:${settings.port}: ${error.message}`,
      }),
    );
    return this.documentHost;
  }

  /** Renders each document's templates (`cimd.document_url` is its own URL) and serves it. */
  private serveDocuments(host: DocumentHost, documents: readonly ClientDocumentSpec[]): void {
    for (const document of documents) {
      const url = `${host.baseUrl}${document.path}`;
      const rendered = renderTemplates(document, (name) =>
        name === 'cimd.document_url' ? url : this.lookup(name),
      );
      host.serve(document.path, servedDocument(rendered));
    }
  }

  private async send(step: Step): Promise<StepRun> {
    let host: DocumentHost | undefined;
    if (this.context.target.cimd && this.usesDocumentHost(step)) {
      const started = await this.startDocumentHost();
      if (!(started instanceof DocumentHost)) return { kind: 'error', reason: started.error, exchanges: [] };
      host = started;
    }
    for (const name of [...this.suite.needs, ...step.needs]) {
      if (name.startsWith('passed.')) {
        const unmet = await this.unmetPrerequisite(name);
        if (unmet) return { kind: 'skipped', reason: unmet };
      } else if (this.lookup(name) === undefined) {
        return { kind: 'skipped', reason: this.missingReason(name) };
      }
    }
    if (host) {
      try {
        this.serveDocuments(host, step.documents ?? []);
      } catch (error) {
        if (error instanceof MissingValueError)
          return { kind: 'skipped', reason: this.missingReason(error.valueName) };
        throw error;
      }
    }
    const before = host?.fetchCount ?? 0;
    const run = await this.sendAction(step);
    if (!host || run.kind === 'skipped') return run;
    const fetches = host.fetchesSince(before);
    const inbound = fetches.map((fetch) => this.redactor.value(fetchAsExchange(fetch)));
    this.exchanges.push(...inbound);
    for (const exchange of inbound) this.onExchange?.(exchange);
    return { ...run, exchanges: [...run.exchanges, ...inbound], fetches };
  }

  private async sendAction(step: Step): Promise<StepRun> {
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

/** A document definition, its templates rendered, as the host serves it. */
function servedDocument(document: ClientDocumentSpec): ServedDocument {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(document.headers ?? {})) headers[name.toLowerCase()] = value;
  let body = document.body ?? '';
  if (document.json !== undefined) {
    body = JSON.stringify(document.json);
    headers['content-type'] ??= 'application/json';
  }
  const missing = (document.pad_to_bytes ?? 0) - Buffer.byteLength(body);
  if (missing > 0) body += ' '.repeat(missing);
  return { status: document.status ?? 200, headers, body };
}
