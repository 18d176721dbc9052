import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../reporters/json.js';
import type { RunReport } from '../../src/runner/run-report.js';
import { runCli } from '../cli/run-cli.js';

// Debian's chromium, never a downloaded browser; CI installs it (.ci/run)
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const missingBrowser = existsSync(chromiumPath)
  ? undefined
  : `no Chromium at ${chromiumPath}: install it with "apt-get update && apt-get install -y chromium" or set CHROMIUM_PATH`;
// in CI a missing browser is a broken set-up, not a reason to skip
const skip = missingBrowser !== undefined && !process.env.CI;
const SCREENSHOT = '/tmp/mcp-conformance-report.png';
const MATRIX_SCREENSHOT = '/tmp/mcp-conformance-report-matrix.png';

describe.skipIf(skip)(
  skip ? `report.html in Chromium (skipped: ${missingBrowser})` : 'report.html in Chromium',
  { timeout: 60_000 },
  () => {
    let out: string;
    let fileUrl: string;
    let results: ResultsFile;
    let browser: Browser;
    let page: Page;
    const consoleErrors: string[] = [];
    const requests: string[] = [];

    beforeAll(async () => {
      if (missingBrowser) throw new Error(missingBrowser);
      out = mkdtempSync(join(tmpdir(), 'mcp-conformance-html-'));
      const run = await runCli(['run', '--out', out, '--reporter', 'json,html']);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
      fileUrl = pathToFileURL(join(out, 'report.html')).href;
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(fileUrl, { waitUntil: 'load' });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      if (out) rmSync(out, { recursive: true, force: true });
    });

    const rows = () => page.locator('details.result');
    const visibleRows = () => page.locator('details.result:visible');

    it('loads with no console error and no request besides the file itself', async () => {
      await expect.poll(() => page.locator('#filters').isVisible()).toBe(true);
      expect(await rows().count()).toBe(results.results.length);
      expect(await visibleRows().count()).toBe(results.results.length);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([fileUrl]);
    });

    it('hides passed rows when "passed" is unchecked', async () => {
      const passed = results.results.filter((r) => r.outcome === 'passed').length;
      expect(passed).toBeGreaterThan(0);
      await page.locator('#filters input[name=outcome][value=passed]').uncheck();
      expect(await page.locator('details.result[data-outcome=passed]:visible').count()).toBe(0);
      expect(await visibleRows().count()).toBe(results.results.length - passed);
      await expect
        .poll(() => page.locator('#filters output[name=shown]').textContent())
        .toBe(`${results.results.length - passed} of ${results.results.length} assertions shown`);
      await page.locator('#filters input[name=outcome][value=passed]').check();
      expect(await visibleRows().count()).toBe(results.results.length);
    });

    it('shows only the matching row for an assertion id typed in the text filter', async () => {
      const searchText = (r: RunReport['results'][number]) =>
        [`${r.suite}/${r.id}`, r.message, ...r.requirements].join(' ').toLowerCase();
      // an id that occurs in no other row's id, message or requirement ids
      const unique = results.results.find(
        (r) => results.results.filter((other) => searchText(other).includes(r.id.toLowerCase())).length === 1,
      )!;
      expect(unique).toBeDefined();
      await page.locator('#filters input[name=text]').fill(unique.id);
      const visible = visibleRows();
      expect(await visible.count()).toBe(1);
      expect(await visible.locator('code.aid').textContent()).toBe(unique.id);
      // suites and spec areas with nothing left to show are hidden too
      expect(await page.locator('section.suite:visible').count()).toBe(1);
      await page.locator('#filters input[name=text]').fill('');
      expect(await visibleRows().count()).toBe(results.results.length);
    });

    it('filters by severity', async () => {
      const warnings = results.results.filter((r) => r.severity === 'warning').length;
      await page.locator('#filters select[name=severity]').selectOption('warning');
      expect(await visibleRows().count()).toBe(warnings);
      await page.locator('#filters select[name=severity]').selectOption('');
    });

    it('expands an exchange', async () => {
      const exchange = page.locator('details.result[open] details.exchange').first();
      expect(await exchange.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
      expect(await exchange.locator('pre.head').first().isVisible()).toBe(false);
      await exchange.locator(':scope > summary').click();
      expect(await exchange.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
      expect(await exchange.locator('pre.head').first().isVisible()).toBe(true);
      expect(await exchange.locator('pre.head').first().textContent()).toMatch(
        /^(GET|POST|PUT|DELETE|PATCH|OPTIONS) https:\/\/127\.0\.0\.1:/,
      );
    });

    it('takes a full-page screenshot at 1280 px', async () => {
      // from the top, so the sticky filter bar is drawn where it belongs
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).toBe(true);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([fileUrl]);
    });

    const requirementRows = () => page.locator('#matrix tr.requirement:visible');
    const matrixShown = () => page.locator('#matrix-filters output[name=shown]').textContent();

    it('shows every requirement of the registry in the matrix, filtered by status', async () => {
      const { requirements } = results.coverage;
      expect(requirements.length).toBeGreaterThan(200);
      expect(await page.locator('#matrix-filters').isVisible()).toBe(true);
      expect(await requirementRows().count()).toBe(requirements.length);
      for (const status of ['passed', 'not-covered'] as const) {
        const n = requirements.filter((r) => r.status === status).length;
        expect(n, status).toBeGreaterThan(0);
        expect(await page.locator(`#matrix tr.requirement[data-status="${status}"]`).count()).toBe(n);
      }
      const passed = requirements.filter((r) => r.status === 'passed').length;
      await page.locator('#matrix-filters input[name=status][value=passed]').uncheck();
      expect(await requirementRows().count()).toBe(requirements.length - passed);
      expect(await page.locator('#matrix tr.requirement[data-status=passed]:visible').count()).toBe(0);
      await expect
        .poll(matrixShown)
        .toBe(`${requirements.length - passed} of ${requirements.length} requirements shown`);
      // a spec whose requirements all passed disappears with them
      const allPassed = results.coverage.specs.find((spec) => spec.statuses.passed === spec.requirements);
      expect(allPassed).toBeDefined();
      expect(await page.locator(`#matrix tbody[data-spec="${allPassed!.spec}"]`).isVisible()).toBe(false);
      await page.locator('#matrix-filters input[name=status][value=passed]').check();
      expect(await requirementRows().count()).toBe(requirements.length);
    });

    it('finds a requirement by its id or by an assertion citing it', async () => {
      const failed = results.coverage.requirements.find((r) => r.status === 'failed')!;
      expect(failed).toBeDefined();
      const text = page.locator('#matrix-filters input[name=text]');
      await text.fill(failed.id);
      const shown = requirementRows();
      expect(await shown.count()).toBeGreaterThanOrEqual(1);
      expect(await shown.locator('td.rid a.req').allTextContents()).toContain(failed.id);
      const failedRow = shown.filter({ has: page.locator(`a.req:text-is("${failed.id}")`) });
      expect(await failedRow.locator('.badge').textContent()).toBe('failed');
      const assertion = failed.assertions.find((a) => a.outcome === 'failed')!;
      await text.fill(assertion.id);
      const citing = results.coverage.requirements.filter((r) =>
        r.assertions.some((a) => a.id === assertion.id),
      );
      expect(await requirementRows().count()).toBe(citing.length);
      await text.fill('');
      expect(await requirementRows().count()).toBe(results.coverage.requirements.length);
    });

    it('links a requirement to its spec section and an assertion to its result row', async () => {
      const requirement = results.coverage.requirements.find(
        (r) => r.status === 'passed' && r.link?.includes('#section-'),
      )!;
      const row = page
        .locator('#matrix tr.requirement')
        .filter({ has: page.locator(`a.req:text-is("${requirement.id}")`) });
      expect(await row.locator('a.req').getAttribute('href')).toBe(requirement.link);
      // a passed result row, hidden by the results filter: following the link shows and opens it
      await page.locator('#filters input[name=outcome][value=passed]').uncheck();
      const link = row.locator('a.ref.passed').first();
      const target = (await link.getAttribute('href'))!.slice(1);
      expect(await page.locator(`details#${target}`).isVisible()).toBe(false);
      await link.click();
      const result = page.locator(`details#${target}`);
      await expect.poll(() => result.isVisible()).toBe(true);
      expect(await result.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
      expect(await result.locator('code.aid').textContent()).toBe((await link.textContent())!.split('/')[1]);
      expect(await visibleRows().count()).toBe(results.results.length);
      await page.evaluate(() => history.replaceState(null, '', location.pathname));
    });

    it('takes a screenshot of the matrix', async () => {
      await page.evaluate(() => {
        const matrix = document.getElementById('matrix')!;
        window.scrollTo(0, matrix.getBoundingClientRect().top + window.scrollY - 8);
      });
      await page.screenshot({ path: MATRIX_SCREENSHOT });
      expect(existsSync(MATRIX_SCREENSHOT)).toBe(true);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([fileUrl]);
    });

    it('stays readable with scripts disabled', async () => {
      const context = await browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: 1280, height: 900 },
      });
      try {
        const plain = await context.newPage();
        await plain.goto(fileUrl);
        expect(await plain.locator('#filters').isVisible()).toBe(false);
        expect(await plain.locator('#matrix-filters').isVisible()).toBe(false);
        expect(await plain.locator('#matrix tr.requirement:visible').count()).toBe(
          results.coverage.requirements.length,
        );
        expect(await plain.locator('details.result:visible').count()).toBe(results.results.length);
        const closedId = await plain.locator('details.result:not([open])').first().getAttribute('id');
        const row = plain.locator(`details#${closedId}`);
        expect(await row.locator('.detail').isVisible()).toBe(false);
        await row.locator(':scope > summary').click();
        expect(await row.locator('.detail').isVisible()).toBe(true);
      } finally {
        await context.close();
      }
    });
  },
);
