import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page, Request, Response } from 'playwright-core';
import type { BrowserAction, BrowserLocator, BrowserPage } from '../../suite/browser-script.js';
import { fillValue } from '../../suite/browser-script.js';
import type { Target } from '../../suite/target.js';
import type { RecordedExchange } from '../exchange.js';
import type { Redactor } from '../redact.js';
import { readZip, writeZip } from './zip.js';

/** Where the run's browser is, or why there is none (the message names the options). */
export type BrowserAvailability = { wsEndpoint: string; artifactsDir?: string } | { missing: string };

const RECORDED_BODY_LIMIT = 16 * 1024;

export const NO_BROWSER_SCRIPT = "the target has no browser script (the target file's browser section)";

/** A failure of the target's browser script: which page, which action, which locator, at which URL. */
export class BrowserScriptError extends Error {
  constructor(
    message: string,
    readonly artifacts: string[] = [],
  ) {
    super(message);
    this.name = 'BrowserScriptError';
  }
}

/** A page of a flow: its name in the script, and what the suite may check about it. */
export interface VisitedPage {
  name: string;
  kind: BrowserPage['kind'];
  url: string;
  status?: number;
  /** response headers of the page (framing protection is judged on them) */
  headers: Record<string, string>;
  /** the visible text, for consent pages (scopes and client name are looked for in it) */
  text?: string;
  screenshot?: string;
}

/**
 * The browser side of one suite: one connection to the run's browser, and a context per flow, or per
 * named session shared by several steps. Every request that leaves the target's origins is blocked and
 * listed; navigations to the flow's redirect URI are answered locally and never reach the network.
 */
export class BrowserSessions {
  private connection?: Promise<Browser>;
  private readonly sessions = new Map<string, Promise<{ context: BrowserContext; page: Page }>>();
  private sequence = 0;
  private artifactSequence = 0;

  constructor(
    private readonly availability: BrowserAvailability | undefined,
    private readonly target: Pick<Target, 'caPem' | 'browser'>,
    private readonly redactor: Redactor,
    private readonly label: string,
  ) {}

  /** Why no browser flow can run, or undefined when one can. */
  get unavailable(): string | undefined {
    if (!this.availability) return 'no browser was started for this run';
    if ('missing' in this.availability) return this.availability.missing;
    if (!this.target.browser) return NO_BROWSER_SCRIPT;
    return undefined;
  }

  /**
   * A page to run a flow in: the named session's (its context and page are created on first use and
   * kept, so its cookies carry over and later flows skip opening a page), or a fresh context and page
   * the caller closes.
   */
  async page(session: string | undefined): Promise<{ context: BrowserContext; page: Page; owned: boolean }> {
    if (!session) return { ...(await this.newPage()), owned: true };
    let opened = this.sessions.get(session);
    if (!opened) {
      opened = this.newPage();
      this.sessions.set(session, opened);
    }
    return { ...(await opened), owned: false };
  }

  async close(): Promise<void> {
    const contexts = await Promise.allSettled(this.sessions.values());
    for (const result of contexts)
      if (result.status === 'fulfilled') await result.value.context.close().catch(() => {});
    if (this.connection) await (await this.connection.catch(() => undefined))?.close().catch(() => {});
  }

  /** A file name in the run's artifacts folder, or undefined when artifacts are not kept. */
  artifactPath(name: string, extension: string): string | undefined {
    const availability = this.availability;
    if (!availability || 'missing' in availability || !availability.artifactsDir) return undefined;
    mkdirSync(availability.artifactsDir, { recursive: true });
    const safe = `${this.label}--${name}`.replace(/[^A-Za-z0-9._-]+/g, '-');
    return join(availability.artifactsDir, `${safe}-${++this.artifactSequence}.${extension}`);
  }

  /**
   * Rewrites a Playwright trace with every secret redacted from its text entries (actions, network log,
   * page snapshots): it records what was typed and sent, passwords included. A trace that cannot be
   * read is deleted rather than kept. Returns whether the file stays.
   */
  redactTrace(path: string): boolean {
    try {
      const entries = readZip(readFileSync(path));
      for (const [name, data] of entries) {
        if (data.includes(0)) continue; // images and other binary resources
        entries.set(name, Buffer.from(this.redactor.text(data.toString('utf8')), 'utf8'));
      }
      writeFileSync(path, writeZip(entries));
      return true;
    } catch {
      rmSync(path, { force: true });
      return false;
    }
  }

  /** Redacts again with every secret known now (a code is known only once the flow has ended). */
  redacted<T>(value: T): T {
    return this.redactor.value(value);
  }

  /**
   * Records a document request and its response in redacted form, as the reports show HTTP exchanges.
   */
  async record(request: Request, response: Response | null, error?: string): Promise<RecordedExchange> {
    const started = request.timing().startTime;
    const headers = await request.allHeaders().catch(() => request.headers());
    const body = request.postData();
    const exchange: RecordedExchange = {
      id: `b${++this.sequence}`,
      startedAt: new Date(started > 0 ? started : Date.now()).toISOString(),
      durationMs: Math.max(0, Math.round(request.timing().responseEnd)),
      request: {
        method: request.method(),
        url: this.redactor.text(request.url()),
        headers: this.redactor.headers(headers),
        ...(body ? { body: this.redactor.text(body) } : {}),
      },
    };
    if (response) {
      const text = await response.text().catch(() => '');
      exchange.response = {
        status: response.status(),
        headers: this.redactor.headers(await response.allHeaders().catch(() => response.headers())),
        body: this.redactor.text(text.slice(0, RECORDED_BODY_LIMIT)),
        bodyTruncated: text.length > RECORDED_BODY_LIMIT,
        bodyBytes: Buffer.byteLength(text),
      };
    }
    if (error) exchange.error = { code: 'BROWSER', message: this.redactor.text(error) };
    return exchange;
  }

  /** A request the guard stopped before it left the browser. */
  async recordBlocked(method: string, url: string): Promise<RecordedExchange> {
    return {
      id: `b${++this.sequence}`,
      startedAt: new Date().toISOString(),
      durationMs: 0,
      request: { method, url: this.redactor.text(url), headers: {} },
      error: { code: 'BLOCKED', message: "blocked by the suite: the origin is not one of the target's" },
    };
  }

  private async newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.newContext();
    return { context, page: await context.newPage() };
  }

  private async newContext(): Promise<BrowserContext> {
    const availability = this.availability;
    if (!availability || 'missing' in availability) throw new Error(this.unavailable);
    this.connection ??= import('playwright-core').then(({ chromium }) =>
      chromium.connect(availability.wsEndpoint),
    );
    const browser = await this.connection;
    // The target's own CA is trusted by the HTTP engine, which already reached these origins with it;
    // the browser visits only those origins (everything else is blocked), so it may skip the check.
    return browser.newContext({
      ignoreHTTPSErrors: this.target.caPem !== undefined,
      serviceWorkers: 'block',
      locale: 'en-US',
    });
  }
}

/**
 * Guards a page's requests through the DevTools protocol (Fetch domain), which, unlike Playwright's
 * routes, also pauses every hop of a redirect: the redirect URI is answered locally and never reaches
 * the network, requests to other origins are blocked and reported.
 */
export async function guardRequests(
  context: BrowserContext,
  page: Page,
  allowedOrigins: ReadonlySet<string>,
  isRedirect: (url: URL) => boolean,
  onRedirect: (url: string) => void,
  onBlocked: (method: string, url: string) => void,
): Promise<() => Promise<void>> {
  const session = await context.newCDPSession(page);
  const answer = Buffer.from(
    '<!DOCTYPE html><title>Authorization response received</title><p>Authorization response received.</p>',
  ).toString('base64');
  session.on('Fetch.requestPaused', (event) => {
    const { requestId } = event;
    const url = URL.parse(event.request.url);
    let decision: Promise<unknown>;
    if (url && isRedirect(url)) {
      onRedirect(url.href);
      decision = session.send('Fetch.fulfillRequest', {
        requestId,
        responseCode: 200,
        responseHeaders: [{ name: 'content-type', value: 'text/html; charset=utf-8' }],
        body: answer,
      });
    } else if (url && (allowedOrigins.has(url.origin) || url.protocol === 'data:')) {
      decision = session.send('Fetch.continueRequest', { requestId });
    } else {
      // the browser's own favicon fetch after the local answer is not the target's doing
      if (url?.pathname !== '/favicon.ico') onBlocked(event.request.method, event.request.url);
      decision = session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
    }
    decision.catch(() => undefined);
  });
  await session.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
  return async () => {
    await session.send('Fetch.disable').catch(() => undefined);
    await session.detach().catch(() => undefined);
  };
}

/** The Playwright locator a script names. */
export function locate(page: Page, locator: BrowserLocator): Locator {
  const exact = locator.exact ?? false;
  if (locator.role) {
    return page.getByRole(locator.role as Parameters<Page['getByRole']>[0], {
      ...(locator.name !== undefined ? { name: locator.name } : {}),
      exact,
    });
  }
  if (locator.label !== undefined) return page.getByLabel(locator.label, { exact });
  if (locator.placeholder !== undefined) return page.getByPlaceholder(locator.placeholder, { exact });
  if (locator.text !== undefined) return page.getByText(locator.text, { exact });
  return page.locator(locator.css ?? 'body');
}

export function describeLocator(locator: BrowserLocator): string {
  return Object.entries(locator)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ');
}

/** Runs a page's actions; a failing one throws with the page, the action's position and the URL. */
export async function runActions(
  page: Page,
  pageName: string,
  actions: readonly BrowserAction[],
  user: { username: string; password: string } | undefined,
  timeoutMs: number,
  clientId?: string,
): Promise<void> {
  for (const action of actions) {
    const target = locate(page, action.locator).first();
    try {
      switch (action.kind) {
        case 'fill': {
          const value = fillValue(action.value ?? '', user, clientId);
          if (typeof value !== 'string') throw new Error(value.missing);
          await target.fill(value, { timeout: timeoutMs });
          break;
        }
        case 'click':
          await target.click({ timeout: timeoutMs });
          break;
        case 'check':
          await target.check({ timeout: timeoutMs });
          break;
        case 'wait_for':
        case 'expect':
          await target.waitFor({ state: 'visible', timeout: timeoutMs });
          break;
      }
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      throw new BrowserScriptError(
        `browser script, page "${pageName}", ${action.kind} ${describeLocator(action.locator)} (${action.at}) ` +
          `failed at ${page.url()}: ${reason}`,
      );
    }
  }
}
