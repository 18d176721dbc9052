/**
 * The browser engine against a reference target this test owns, through the CLI as users run it: a
 * broken page script fails its step with the page, the action, the locator and the URL, keeps a
 * screenshot and a trace that hold no secret; requests leaving the target's origins are blocked and
 * listed; a missing browser is one clear message, an error under CI and skipped checks elsewhere.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INTERACTION_PATH_PREFIX,
  type ReferenceTarget,
  startReferenceTarget,
} from '../../fixtures/reference/index.js';
import { locateBrowser } from '../../src/engine/browser/locate-browser.js';
import { readZip } from '../../src/engine/browser/zip.js';
import { runCli } from '../cli/run-cli.js';
import { writeReferenceTargetFile } from './reference-target-file.js';

interface Result {
  suite: string;
  id: string;
  outcome: string;
  message: string;
  artifacts?: string[];
}

const FOREIGN_PAGE = 'https://127.0.0.2:47123/mcp-conformance-sign-in';
const CONSENT_CLIENT_NAME = 'mcp-conformance consent probe';

describe('browser flows', () => {
  let target: ReferenceTarget;
  let sendAway = false;
  /** when set, the consent page names the client only once its own (slow) fetch has answered */
  let lateClientName = false;
  let work: string;

  beforeAll(async () => {
    target = await startReferenceTarget({
      hooks: {
        // when asked, the authorization endpoint sends the browser to an origin the target does not name
        iam: async (ctx, next) => {
          if (ctx.path === '/late-name.js') {
            ctx.type = 'text/javascript';
            ctx.body = `fetch('/late-name').then((r) => r.text()).then((name) => {
              document.getElementById('late-name').textContent = name;
            });`;
            return;
          }
          if (ctx.path === '/late-name') {
            await new Promise((resolve) => setTimeout(resolve, 400));
            ctx.body = CONSENT_CLIENT_NAME;
            return;
          }
          if (sendAway && ctx.method === 'GET' && ctx.path === '/auth') return ctx.redirect(FOREIGN_PAGE);
          await next();
          if (
            !lateClientName ||
            !ctx.path.startsWith(INTERACTION_PATH_PREFIX) ||
            typeof ctx.body !== 'string'
          )
            return;
          ctx.body = ctx.body
            .replaceAll(CONSENT_CLIENT_NAME, '<span id="late-name"></span>')
            .replace('</body>', '<script src="/late-name.js"></script></body>');
        },
      },
    });
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-browser-'));
  }, 60_000);

  afterAll(async () => {
    await target?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const results = (report: string): Result[] =>
    (JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as { results: Result[] }).results;

  it('drives login and consent', { timeout: 120_000 }, async () => {
    const file = writeReferenceTargetFile(join(work), target, { browser: {} });
    const report = join(work, 'working');
    const run = await runCli(['run', '--target', file.path, '--suite', 'consent', '--out', report], {
      env: file.env,
    });
    expect(run.stderr).toMatch(/browser: \S+ \(from /);
    const byId = new Map(results(report).map((r) => [r.id, r]));
    expect(byId.get('consent-asked-first-time')?.outcome).toBe('passed');
    expect(byId.get('consent-names-client')?.outcome).toBe('passed');
    const screenshot = byId.get('consent-names-client')?.artifacts?.find((path) => path.endsWith('.jpg'));
    expect(screenshot && existsSync(screenshot)).toBe(true);
  });

  it('reads a consent page once the page has filled in its text from its own requests', {
    timeout: 120_000,
  }, async () => {
    const file = writeReferenceTargetFile(join(work), target, { browser: {} });
    const report = join(work, 'late-name');
    lateClientName = true;
    try {
      await runCli(
        [
          'run',
          '--target',
          file.path,
          '--suite',
          'consent',
          '--grep',
          'consent-names-client',
          '--out',
          report,
        ],
        {
          env: file.env,
        },
      );
    } finally {
      lateClientName = false;
    }
    const byId = new Map(results(report).map((r) => [r.id, r]));
    expect(byId.get('consent-names-client')?.outcome).toBe('passed');
  });

  it('blocks and reports a navigation that leaves the target', { timeout: 120_000 }, async () => {
    const file = writeReferenceTargetFile(work, target, { browser: {} });
    const report = join(work, 'away');
    sendAway = true;
    const run = await runCli(
      [
        'run',
        '--target',
        file.path,
        '--suite',
        'oauth21-authorization-code-flow',
        '--grep',
        'code-issued',
        '--out',
        report,
      ],
      { env: file.env },
    ).finally(() => {
      sendAway = false;
    });
    expect(run.code).toBe(1);
    expect(results(report).find((r) => r.id === 'code-issued')?.outcome).toBe('failed');
    // the blocked page is in the report's exchanges, stopped before it left the browser
    const exchanges = Object.values(
      (
        JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as {
          exchanges: Record<string, { request: { url: string }; error?: { code: string } }>;
        }
      ).exchanges,
    );
    const blocked = exchanges.filter((exchange) => exchange.request.url === FOREIGN_PAGE);
    expect(blocked.length).toBeGreaterThan(0);
    for (const exchange of blocked) expect(exchange.error?.code).toBe('BLOCKED');
  });

  it('names the page, the action, the locator and the URL when a script breaks, and keeps a trace without secrets', {
    timeout: 120_000,
  }, async () => {
    const file = writeReferenceTargetFile(work, target, {
      // the consent page's button is called "Allow", not "Approve": the script fails after the login
      browser: {
        editPages: (pages) => {
          pages[1]!.actions = [{ click: { role: 'button', name: 'Approve' } }];
        },
      },
    });
    const report = join(work, 'broken');
    const run = await runCli(
      ['run', '--target', file.path, '--suite', 'oauth21-authorization-code-flow', '--out', report],
      { env: file.env },
    );
    expect(run.code).toBe(1);
    const failed = results(report).find((r) => r.id === 'code-issued');
    expect(failed?.outcome).toBe('error');
    expect(failed?.message).toMatch(
      /page "consent", click role="Approve"|page "consent", click role="button" name="Approve"/,
    );
    expect(failed?.message).toMatch(/target\.yaml:\d+:\d+/);
    expect(failed?.message).toContain(`${target.issuer}/interaction/`);
    const trace = failed?.artifacts?.find((path) => path.endsWith('.trace.zip'));
    const screenshot = failed?.artifacts?.find((path) => path.endsWith('.jpg'));
    expect(trace && existsSync(trace)).toBe(true);
    expect(screenshot && existsSync(screenshot)).toBe(true);
    // the trace shows the pages, but not the password typed into them
    const entries = readZip(readFileSync(trace!));
    expect(entries.size).toBeGreaterThan(1);
    const leaks = [...entries]
      .filter(([, data]) => data.includes(target.user.password))
      .map(([name]) => name);
    expect(leaks).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(target.user.password);
  });

  it('says where to get a browser when none is found', async () => {
    const found = await locateBrowser(undefined, { PATH: '', MCP_CONFORMANCE_CHROMIUM: '' });
    if ('path' in found) {
      // Playwright's own Chromium is installed here: only the configured and environment paths can be checked
      expect(found.source).toBe("Playwright's installed Chromium");
    } else {
      expect(found.missing).toMatch(/browser\.executable_path.*MCP_CONFORMANCE_CHROMIUM.*chromium/);
    }
    const configured = await locateBrowser('/nonexistent/chromium');
    expect(configured).toEqual({
      missing: 'browser.executable_path /nonexistent/chromium is not an executable file',
    });
  });

  it('fails the run under CI when the browser is missing, and skips browser steps elsewhere', {
    timeout: 120_000,
  }, async () => {
    const file = writeReferenceTargetFile(work, target, {
      browser: { executablePath: '/nonexistent/chromium' },
    });
    const underCi = await runCli(
      ['run', '--target', file.path, '--suite', 'consent', '--out', join(work, 'ci')],
      {
        env: { ...file.env, CI: 'true' },
      },
    );
    expect(underCi.code).toBe(2);
    expect(underCi.stderr).toContain(
      'browser suites selected but browser.executable_path /nonexistent/chromium is not an executable file',
    );
    expect(underCi.stderr).not.toMatch(/\n\s+at /);
    const report = join(work, 'local');
    const local = await runCli(['run', '--target', file.path, '--suite', 'consent', '--out', report], {
      env: { ...file.env, CI: '' },
    });
    expect(local.code).toBe(0);
    const browserSteps = results(report).filter((r) => r.id !== 'consent-client-registered');
    expect(browserSteps.length).toBeGreaterThan(5);
    for (const result of browserSteps) {
      expect(result.outcome).toBe('skipped');
      expect(result.message).toContain('/nonexistent/chromium');
    }
  });
});
