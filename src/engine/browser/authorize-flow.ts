import { createHash, randomBytes } from 'node:crypto';
import type { BrowserContext, Page, Request, Response } from 'playwright-core';
import type { BrowserPage } from '../../suite/browser-script.js';
import type { AuthorizeSpec, RevokeConsentSpec } from '../../suite/model.js';
import type { RecordedExchange, ResponseView } from '../exchange.js';
import type { RunContext } from '../run-context.js';
import { credentialOrigins } from '../step-requests.js';
import {
  BrowserScriptError,
  type BrowserSessions,
  guardRequests,
  locate,
  NO_BROWSER_SCRIPT,
  runActions,
  type VisitedPage,
} from './browser-session.js';

/** What a browser step yields: a response view for the assertions, the exchanges, kept files. */
export type BrowserStepResult =
  | { kind: 'missing'; name: string; why: string }
  | { kind: 'refused'; why: string }
  | { kind: 'done'; response: ResponseView; exchanges: RecordedExchange[]; artifacts: string[] }
  | { kind: 'failed'; reason: string; exchanges: RecordedExchange[]; artifacts: string[] };

/** Pages a flow may pass before it counts as stuck. */
const MAX_PAGES = 12;
/** A page that comes back this often means the script does not get past it. */
const MAX_VISITS_PER_PAGE = 3;
const PAGE_TEXT_LIMIT = 4000;
/** How long a page may take to show something the script recognizes after its document loaded. */
const PAGE_SETTLE_MS = 2000;
/** How long a page has no request in flight before its text is read as what the user sees. */
const QUIET_MS = 60;

interface FlowEnvironment {
  context: RunContext;
  sessions: BrowserSessions;
  /** registers a secret the flow handed out (code, verifier) */
  addSecret(value: string): void;
  stepLabel: string;
}

/**
 * An authorization-code request (OAuth 2.1 §4.1) with PKCE (RFC 7636) through the browser. The target's
 * script gets through login and consent; the flow ends when the authorization server redirects to the
 * redirect URI (answered locally) or stops on a page the script does not know (an error page). The
 * assertions see one JSON document: the authorization response's parameters, what was sent, the pages
 * passed, and, when no redirect came, where the flow stopped.
 */
export async function runAuthorizeFlow(
  spec: AuthorizeSpec,
  env: FlowEnvironment,
): Promise<BrowserStepResult> {
  const { context } = env;
  const endpoint = spec.url ?? context.discovery.values.authorization_endpoint;
  if (!endpoint) {
    return {
      kind: 'missing',
      name: 'discovery.authorization_endpoint',
      why: context.discovery.missing.authorization_endpoint ?? 'not discovered',
    };
  }
  const refused = outsideTarget(endpoint, context, 'authorization endpoint');
  if (refused) return refused;
  const client = context.target.clients[spec.client ?? 'confidential'];
  const clientId = spec.client_id ?? client?.clientId;
  if (!clientId)
    return {
      kind: 'missing',
      name: `target.clients.${spec.client ?? 'confidential'}`,
      why: 'not in the target file',
    };
  const redirectUri = spec.redirect_uri ?? (spec.client_id === undefined ? client?.redirectUri : undefined);
  if (!redirectUri) {
    return {
      kind: 'missing',
      name: `target.clients.${spec.client ?? 'confidential'}.redirect_uri`,
      why: 'the step names no redirect_uri and the target client has none',
    };
  }
  const redirect = URL.parse(redirectUri);
  if (!redirect) return { kind: 'refused', why: `redirect_uri ${redirectUri} is not a URL` };

  const pkce = spec.pkce ?? 'S256';
  const verifier = spec.code_verifier ?? randomBytes(32).toString('base64url');
  const challenge = pkce === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  env.addSecret(verifier);
  const state = spec.state ?? randomBytes(12).toString('base64url');
  const parameters = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
  });
  if (spec.scope !== undefined) parameters.set('scope', spec.scope);
  parameters.set('state', state);
  if (pkce !== 'none') {
    parameters.set('code_challenge', challenge);
    parameters.set('code_challenge_method', pkce);
  }
  for (const resource of [spec.resource ?? []].flat()) parameters.append('resource', resource);
  for (const [name, value] of Object.entries(spec.params ?? {})) parameters.set(name, value);
  for (const name of spec.omit ?? []) parameters.delete(name);
  const url = new URL(endpoint);
  for (const [name, value] of parameters) url.searchParams.append(name, value);

  const sent = {
    url: url.href,
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    ...(spec.scope !== undefined ? { scope: spec.scope } : {}),
    ...(pkce !== 'none' ? { code_challenge: challenge, code_challenge_method: pkce } : {}),
    code_verifier: verifier,
  };
  // The redirect URI, compared without its query; a loopback one on any port (OAuth 2.1 §8.4.2).
  const isRedirect = (candidate: URL) =>
    candidate.protocol === redirect.protocol &&
    candidate.pathname === redirect.pathname &&
    (candidate.host === redirect.host ||
      (isLoopback(redirect.hostname) && candidate.hostname === redirect.hostname));

  return inBrowser(env, spec.session, spec.timeout_ms, async (page, flow) => {
    const guard = await flow.guard(isRedirect);
    try {
      await page.goto(url.href, { timeout: flow.timeoutMs }).catch(() => undefined);
      const visits = await followScript(
        page,
        flow,
        spec.consent ?? 'approve',
        () => guard.redirectUrl() !== undefined,
      );
      const redirectUrl = guard.redirectUrl();
      const body: Record<string, unknown> = { redirected: redirectUrl !== undefined };
      if (redirectUrl) {
        const received = new URL(redirectUrl);
        const params = Object.fromEntries(received.searchParams);
        const fragment = Object.fromEntries(new URLSearchParams(received.hash.slice(1)));
        if (typeof params.code === 'string') env.addSecret(params.code);
        for (const name of ['access_token', 'id_token', 'code'])
          if (fragment[name]) env.addSecret(fragment[name]);
        Object.assign(body, {
          redirect_url: redirectUrl,
          params,
          ...pick(params, ['code', 'state', 'iss', 'error', 'error_description']),
        });
        if (received.hash) body.fragment_params = fragment;
      } else {
        body.final_url = page.url();
        body.final_text = (await page.innerText('body').catch(() => '')).slice(0, PAGE_TEXT_LIMIT);
      }
      Object.assign(body, {
        sent,
        pages: visits.map((visit) => visit.name),
        login_shown: visits.some((visit) => visit.kind === 'login'),
        consent_shown: visits.some((visit) => visit.kind === 'consent'),
        visits,
        blocked: guard.blocked,
      });
      return flow.view(redirectUrl ?? page.url(), body);
    } finally {
      await guard.release();
    }
  });
}

/** Runs the target's consent-revocation script (its `consent.revoke`) in a browser session. */
export async function runRevokeConsent(
  spec: RevokeConsentSpec,
  env: FlowEnvironment,
): Promise<BrowserStepResult> {
  const revoke = env.context.target.consent?.revoke;
  if (!revoke)
    return {
      kind: 'missing',
      name: 'target.consent.revoke',
      why: 'the target declares no way to revoke consent',
    };
  const refused = outsideTarget(revoke.url, env.context, 'consent revocation page');
  if (refused) return refused;
  return inBrowser(env, spec.session, spec.timeout_ms, async (page, flow) => {
    const guard = await flow.guard(() => false);
    try {
      await page.goto(revoke.url, { timeout: flow.timeoutMs });
      await runActions(
        page,
        'consent.revoke',
        revoke.actions,
        env.context.target.browser?.user,
        flow.timeoutMs,
        spec.client_id,
      );
      await page.waitForLoadState('load', { timeout: flow.timeoutMs }).catch(() => undefined);
      const text = (await page.innerText('body').catch(() => '')).slice(0, PAGE_TEXT_LIMIT);
      return flow.view(page.url(), {
        done: true,
        final_url: page.url(),
        final_text: text,
        blocked: guard.blocked,
      });
    } finally {
      await guard.release();
    }
  });
}

interface Flow {
  timeoutMs: number;
  guard(isRedirect: (url: URL) => boolean): Promise<Guard>;
  /** takes a screenshot into the artifacts folder; returns its path */
  screenshot(name: string): Promise<string | undefined>;
  pages: readonly BrowserPage[];
  user: { username: string; password: string } | undefined;
  /** the main frame's latest document response */
  lastDocument(): Response | undefined;
  /**
   * Resolves once the page has had no request in flight for a moment (a page that fills in its text
   * from its own fetches, such as a consent page naming the client), or after PAGE_SETTLE_MS.
   */
  quiet(): Promise<void>;
  /** the view the assertions get of where the flow ended, with `body` as its JSON */
  view(url: string, body: unknown): ResponseView;
}

interface Guard {
  redirectUrl(): string | undefined;
  blocked: string[];
  release(): Promise<void>;
}

/**
 * Opens a page in the step's browser context, records its document exchanges, keeps a trace that is
 * saved only when the flow fails, and turns script failures into a failed step with its artifacts.
 */
async function inBrowser(
  env: FlowEnvironment,
  session: string | undefined,
  timeoutMs: number | undefined,
  work: (page: Page, flow: Flow) => Promise<ResponseView>,
): Promise<BrowserStepResult> {
  const { sessions, context: run } = env;
  const browserSettings = run.target.browser;
  const unavailable = sessions.unavailable;
  if (unavailable || !browserSettings)
    return { kind: 'missing', name: 'browser', why: unavailable ?? NO_BROWSER_SCRIPT };
  const allowed = credentialOrigins(run);
  for (const name of ['authorization_endpoint', 'issuer'] as const) {
    const value = run.discovery.values[name];
    const origin = value ? URL.parse(value)?.origin : undefined;
    if (origin && allowed.has(origin)) allowed.add(origin);
  }
  const flowTimeout = timeoutMs ?? Math.max(run.target.options.timeoutMs, 5000);
  const artifacts: string[] = [];
  const recordings: Promise<RecordedExchange>[] = [];
  const { context, page, owned } = await sessions.page(session);
  const tracePath = sessions.artifactPath(env.stepLabel, 'trace.zip');
  if (tracePath) await context.tracing.start({ snapshots: true, screenshots: false }).catch(() => undefined);
  page.setDefaultTimeout(flowTimeout);
  let inFlight = 0;
  const onRequest = () => {
    inFlight += 1;
  };
  const onFinished = (request: Request) => {
    inFlight = Math.max(0, inFlight - 1);
    if (request.resourceType() !== 'document') return;
    recordings.push(request.response().then((response) => sessions.record(request, response)));
  };
  const onFailed = (request: Request) => {
    inFlight = Math.max(0, inFlight - 1);
    const failure = request.failure()?.errorText ?? 'failed';
    // what the guard blocked, it recorded itself
    if (request.resourceType() !== 'document' || failure.includes('ERR_BLOCKED_BY_CLIENT')) return;
    recordings.push(sessions.record(request, null, failure));
  };
  let lastDocument: Response | undefined;
  const onResponse = (response: Response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) lastDocument = response;
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  page.on('requestfailed', onFailed);
  page.on('response', onResponse);
  const flow: Flow = {
    timeoutMs: flowTimeout,
    pages: browserSettings.pages,
    user: browserSettings.user,
    guard: (isRedirect) =>
      guardPage(context, page, allowed, isRedirect, (method, url) =>
        recordings.push(sessions.recordBlocked(method, url)),
      ),
    lastDocument: () => lastDocument,
    quiet: async () => {
      const deadline = Date.now() + PAGE_SETTLE_MS;
      let quietSince = inFlight > 0 ? undefined : Date.now();
      while (Date.now() < deadline && (quietSince === undefined || Date.now() - quietSince < QUIET_MS)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (inFlight > 0) quietSince = undefined;
        else quietSince ??= Date.now();
      }
    },
    view: (url, body) => ({
      url,
      status: lastDocument?.status() ?? 0,
      headers: lastDocument?.headers() ?? {},
      bodyText: JSON.stringify(body),
    }),
    screenshot: async (name) => {
      const path = sessions.artifactPath(`${env.stepLabel}-${name}`, 'jpg');
      if (!path) return undefined;
      // what the user saw (the viewport), as a small JPEG: the HTML report embeds it
      await page.screenshot({ path, type: 'jpeg', quality: 70 }).catch(() => undefined);
      artifacts.push(path);
      return path;
    },
  };
  let failure: string | undefined;
  let response: ResponseView | undefined;
  try {
    response = await work(page, flow);
  } catch (error) {
    failure =
      error instanceof BrowserScriptError
        ? error.message
        : `browser flow failed at ${page.url()}: ${(error as Error).message.split('\n')[0]}`;
    await flow.screenshot('failure');
  } finally {
    page.off('request', onRequest);
    page.off('requestfinished', onFinished);
    page.off('requestfailed', onFailed);
    page.off('response', onResponse);
    if (tracePath) {
      // session cookies travel in the trace's network log: they are secrets too
      for (const cookie of await context.cookies().catch(() => [])) env.addSecret(cookie.value);
      await context.tracing.stop(failure ? { path: tracePath } : {}).catch(() => undefined);
      if (failure && sessions.redactTrace(tracePath)) artifacts.push(tracePath);
    }
    // a session's page stays for its next flow, which starts with a navigation of its own
    if (owned) await context.close().catch(() => undefined);
  }
  const exchanges = sessions.redacted(
    (await Promise.all(recordings)).sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
  );
  if (failure || !response) return { kind: 'failed', reason: failure ?? 'no result', exchanges, artifacts };
  return { kind: 'done', response, exchanges, artifacts };
}

async function guardPage(
  context: BrowserContext,
  page: Page,
  allowed: ReadonlySet<string>,
  isRedirect: (url: URL) => boolean,
  onBlocked: (method: string, url: string) => void,
): Promise<Guard> {
  let redirectUrl: string | undefined;
  const blocked: string[] = [];
  const release = await guardRequests(
    context,
    page,
    allowed,
    isRedirect,
    (url) => {
      redirectUrl ??= url;
    },
    (method, url) => {
      blocked.push(url);
      onBlocked(method, url);
    },
  );
  return {
    redirectUrl: () => redirectUrl,
    blocked,
    release: () => release().catch(() => undefined),
  };
}

/**
 * Walks the target's pages until the redirect comes or no page of the script matches. On each known
 * page it runs the page's actions (on a consent page: approve or deny) and waits for the next page.
 */
async function followScript(
  page: Page,
  flow: Flow,
  consent: 'approve' | 'deny',
  finished: () => boolean,
): Promise<VisitedPage[]> {
  const visits: VisitedPage[] = [];
  const counts = new Map<string, number>();
  for (let step = 0; step < MAX_PAGES; step++) {
    const current = await settledPage(page, flow.pages, finished);
    if (!current) return visits;
    const count = (counts.get(current.name) ?? 0) + 1;
    counts.set(current.name, count);
    if (count >= MAX_VISITS_PER_PAGE) {
      const alert = await page
        .getByRole('alert')
        .first()
        .innerText({ timeout: 500 })
        .catch(() => '');
      throw new BrowserScriptError(
        `browser script: page "${current.name}" (${current.at}) came back ${count} times at ${page.url()}; ` +
          `its actions do not get past it${alert ? ` (the page says: ${alert})` : ''}`,
      );
    }
    visits.push(await describeVisit(page, current, flow));
    const actions = current.kind === 'consent' && consent === 'deny' ? current.deny : current.actions;
    if (!actions) {
      throw new BrowserScriptError(
        `browser script: consent page "${current.name}" (${current.at}) has no "deny" actions`,
      );
    }
    const before = page.url();
    const navigated = page
      .waitForEvent('framenavigated', {
        predicate: (frame) => frame === page.mainFrame(),
        timeout: flow.timeoutMs,
      })
      .then(
        () => true,
        () => false,
      );
    await runActions(page, current.name, actions, flow.user, flow.timeoutMs);
    if (!(await navigated)) {
      throw new BrowserScriptError(
        `browser script: the actions of page "${current.name}" (${current.at}) led nowhere within ${flow.timeoutMs} ms (still at ${before})`,
      );
    }
  }
  throw new BrowserScriptError(`browser script: no end after ${MAX_PAGES} pages (at ${page.url()})`);
}

/**
 * The script's page the browser shows, once it shows one: pages that render after their document
 * loaded (single-page login apps) get a moment. None when the flow reached the redirect URI, or when
 * nothing matches within that moment (the authorization server stopped on a page of its own).
 */
async function settledPage(
  page: Page,
  pages: readonly BrowserPage[],
  finished: () => boolean,
): Promise<BrowserPage | undefined> {
  const deadline = Date.now() + PAGE_SETTLE_MS;
  await page.waitForLoadState('domcontentloaded').catch(() => undefined);
  for (;;) {
    if (finished()) return undefined;
    const current = await matchPage(page, pages);
    if (current || Date.now() >= deadline) return current;
    await page.waitForTimeout(100);
  }
}

async function matchPage(page: Page, pages: readonly BrowserPage[]): Promise<BrowserPage | undefined> {
  for (const candidate of pages) {
    if (candidate.match.url !== undefined && !new RegExp(candidate.match.url).test(page.url())) continue;
    if (
      candidate.match.visible &&
      !(await locate(page, candidate.match.visible)
        .first()
        .isVisible()
        .catch(() => false))
    )
      continue;
    return candidate;
  }
  return undefined;
}

async function describeVisit(page: Page, current: BrowserPage, flow: Flow): Promise<VisitedPage> {
  const document = flow.lastDocument();
  const visit: VisitedPage = {
    name: current.name,
    kind: current.kind,
    url: page.url(),
    ...(document ? { status: document.status() } : {}),
    headers: document ? await document.allHeaders().catch(() => document.headers()) : {},
  };
  if (current.kind === 'consent') {
    await flow.quiet();
    visit.text = (await page.innerText('body').catch(() => '')).slice(0, PAGE_TEXT_LIMIT);
    const screenshot = await flow.screenshot(current.name);
    if (screenshot) visit.screenshot = screenshot;
  }
  return visit;
}

function outsideTarget(url: string, context: RunContext, what: string): BrowserStepResult | undefined {
  const origin = URL.parse(url)?.origin;
  if (origin && credentialOrigins(context).has(origin)) return undefined;
  return {
    kind: 'refused',
    why: `the ${what} ${url} is outside the target's origins: the browser would take the test user's credentials there`,
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}

function pick(values: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.filter((name) => name in values).map((name) => [name, values[name]!]));
}
