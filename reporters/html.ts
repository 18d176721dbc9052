import { existsSync, readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { basename } from 'node:path';
import type { RecordedExchange } from '../src/engine/exchange.js';
import { OUTCOMES, type Outcome } from '../src/engine/verdict.js';
import {
  REQUIREMENT_STATUSES,
  type RequirementCoverage,
  type RequirementStatus,
  type RunCoverage,
} from '../src/runner/run-coverage.js';
import type { ResultEntry, RunReport } from '../src/runner/run-report.js';

export interface HtmlContext {
  /** the spec section a requirement id cites, as a URL (config/spec-links.yaml) */
  linkFor(requirementId: string): string | undefined;
  /** spec key (e.g. `RFC9728`) to its document title */
  specTitles: Record<string, string>;
  /** the requirement matrix of this run (src/runner/run-coverage.ts), also in results.json */
  coverage: RunCoverage;
}

/** Exchange bodies are shown up to this many characters each; the HAR export has what the run kept. */
export const HTML_BODY_LIMIT = 16 * 1024;

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** Outcomes whose rows start expanded: the ones a reader opens the report for. */
const OPEN_OUTCOMES: ReadonlySet<Outcome> = new Set(['failed', 'warning', 'info', 'error']);

/**
 * The HTML report: one self-contained file (inline CSS and script, no external resource, a CSP that
 * forbids loading any) that certifiers archive and developers open from disk. Every value from the
 * run is escaped: bodies, headers and messages come from servers under test, which may be hostile.
 * Without the script everything is still there; the script only adds the filters.
 */
export function renderHtml(report: RunReport, context: HtmlContext): string {
  const page = new HtmlPage(report, context);
  return page.render();
}

class HtmlPage {
  /** row anchor per result, so the matrix can link to rows */
  private readonly anchors = new Map<ResultEntry, string>();
  /** screenshots already embedded, by path: later results of the same step link to the first */
  private readonly embedded = new Map<string, string>();
  /** row anchor per `suite/assertion` id */
  private readonly anchorsById = new Map<string, string>();
  private readonly specKeys: string[];
  /** results by suite, suites in id order, each suite's results in report order */
  private readonly bySuite: Map<string, ResultEntry[]>;

  constructor(
    private readonly report: RunReport,
    private readonly context: HtmlContext,
  ) {
    report.results.forEach((result, index) => {
      this.anchors.set(result, `r${index + 1}`);
      this.anchorsById.set(`${result.suite}/${result.id}`, `r${index + 1}`);
    });
    this.specKeys = Object.keys(context.specTitles).sort((a, b) => b.length - a.length);
    this.bySuite = new Map(
      [...groupBy(report.results, (r) => r.suite)].sort(([a], [b]) => a.localeCompare(b)),
    );
  }

  render(): string {
    const { report } = this;
    return [
      '<!doctype html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta name="referrer" content="no-referrer">',
      // an empty icon keeps the browser from asking for /favicon.ico
      '<link rel="icon" href="data:,">',
      `<title>${esc(`${report.tool.name} report: ${report.target.name}`)}</title>`,
      `<style>${STYLE}</style>`,
      '</head>',
      '<body>',
      this.header(),
      this.problems(),
      '<main id="results">',
      this.filters(),
      this.groups(),
      '</main>',
      this.matrix(),
      `<footer>${esc(report.tool.name)} ${esc(report.tool.version)} · ${esc(report.results.length)} assertions · ${esc(Object.keys(report.exchanges).length)} HTTP exchanges</footer>`,
      `<script>${SCRIPT}</script>`,
      '</body>',
      '</html>',
      '',
    ].join('\n');
  }

  private header(): string {
    const { report } = this;
    const facts: [string, string][] = [
      ...(report.target.issuer
        ? [['issuer', `<code>${esc(report.target.issuer)}</code>`] as [string, string]]
        : []),
      ...(report.target.mcpUrl
        ? [['MCP URL', `<code>${esc(report.target.mcpUrl)}</code>`] as [string, string]]
        : []),
      ['profile', `<code>${esc(report.profile)}</code>`],
      ['tool', `${esc(report.tool.name)} ${esc(report.tool.version)}`],
      ['started', `<time datetime="${esc(report.startedAt)}">${esc(formatDate(report.startedAt))}</time>`],
      ['duration', esc(formatDuration(report.durationMs))],
    ];
    const totals = OUTCOMES.map(
      (outcome) =>
        `<li class="total ${outcome}${report.summary[outcome] ? '' : ' zero'}"><b>${report.summary[outcome]}</b> ${outcome}</li>`,
    );
    totals.push(
      `<li class="total expected${report.expectedFailures ? '' : ' zero'}"><b>${report.expectedFailures}</b> expected failure${report.expectedFailures === 1 ? '' : 's'}</li>`,
    );
    return [
      '<header>',
      `<h1>Conformance report <span class="subtitle">${esc(report.target.name)}</span></h1>`,
      `<dl class="facts">${facts.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`).join('')}</dl>`,
      `<ul class="totals" aria-label="totals">${totals.join('')}</ul>`,
      this.matrixLink(),
      this.suiteTable(),
      '</header>',
    ].join('\n');
  }

  private matrixLink(): string {
    const { specs, requirements } = this.context.coverage;
    const ran = specs.reduce((sum, spec) => sum + spec.ran, 0);
    return `<p class="jump"><a href="#matrix">Requirement matrix</a>: ${ran} of ${requirements.length} requirement ids checked in this run</p>`;
  }

  private suiteTable(): string {
    const rows = [...this.bySuite].map(([suite, results], index) => {
      const cells = OUTCOMES.map((outcome) => {
        const n = results.filter((r) => r.outcome === outcome).length;
        return `<td class="${n ? outcome : 'zero'}">${n}</td>`;
      });
      return `<tr><th scope="row"><a href="#s${index + 1}">${esc(suite)}</a></th>${cells.join('')}</tr>`;
    });
    return [
      '<details class="by-suite" open><summary>By suite</summary>',
      '<table class="suites">',
      `<thead><tr><th>suite</th>${OUTCOMES.map((o) => `<th>${o}</th>`).join('')}</tr></thead>`,
      `<tbody>${rows.join('')}</tbody>`,
      '</table></details>',
    ].join('\n');
  }

  private problems(): string {
    const { report } = this;
    const items: string[] = [
      ...report.problems.map((problem) => `<li>${esc(problem)}</li>`),
      ...report.staleExpectedFailures.map(
        (entry) =>
          `<li>stale expected failure: <code>${esc(entry.id)}</code> now passes; remove it from the expected failures (${esc(entry.reason)})</li>`,
      ),
    ];
    const leftovers = report.leftoverClients.map(
      (left) =>
        `<tr><td><code>${esc(left.clientId)}</code></td><td>${esc(left.suite)}</td><td>${esc(left.reason)}</td></tr>`,
    );
    if (!items.length && !leftovers.length) return '';
    return [
      '<section id="problems" class="problems">',
      '<h2>Problems</h2>',
      items.length ? `<ul>${items.join('')}</ul>` : '',
      leftovers.length
        ? `<h3>Registered clients left on the server</h3><table><thead><tr><th>client_id</th><th>suite</th><th>why it was not deleted</th></tr></thead><tbody>${leftovers.join('')}</tbody></table>`
        : '',
      '</section>',
    ].join('\n');
  }

  /** Hidden until the script runs: without it the controls would do nothing. */
  private filters(): string {
    const boxes = OUTCOMES.map(
      (outcome) =>
        `<label class="check ${outcome}"><input type="checkbox" name="outcome" value="${outcome}" checked> ${outcome} <span class="n">${this.report.summary[outcome]}</span></label>`,
    );
    return [
      '<form id="filters" class="filters" hidden role="search">',
      `<fieldset><legend>outcome</legend>${boxes.join('')}</fieldset>`,
      '<label>severity <select name="severity"><option value="">any</option><option>failure</option><option>warning</option><option>info</option></select></label>',
      '<div class="line">',
      '<label class="text">text <input type="search" name="text" placeholder="assertion id, message or requirement id (all words must match)" autocomplete="off"></label>',
      '<output name="shown" aria-live="polite"></output>',
      '<span class="tools"><button type="button" data-expand="true">expand all</button><button type="button" data-expand="false">collapse all</button></span>',
      '</div>',
      '</form>',
    ].join('\n');
  }

  private groups(): string {
    const bySuite = this.bySuite;
    const suiteIndex = new Map([...bySuite.keys()].map((suite, index) => [suite, index + 1]));
    const byGroup = groupBy([...bySuite.keys()], (suite) => suite.split('-')[0]!);
    const sections: string[] = [];
    for (const [group, suites] of byGroup) {
      const specKeys = new Set(suites.map((suite) => this.specKeyForSuite(suite)));
      const specKey = specKeys.size === 1 ? [...specKeys][0] : undefined;
      const title = specKey ? this.context.specTitles[specKey] : undefined;
      sections.push(
        `<section class="group" data-group="${esc(group)}">`,
        `<h2><span class="key">${esc(specKey ?? group.toUpperCase())}</span>${title ? ` ${esc(title)}` : ''}</h2>`,
      );
      for (const suite of suites) {
        const results = bySuite.get(suite)!;
        sections.push(
          `<section class="suite" id="s${suiteIndex.get(suite)}">`,
          `<h3><code>${esc(suite)}</code> <span class="counts">${countChips(results)}</span></h3>`,
          ...results.map((result) => this.row(result)),
          '</section>',
        );
      }
      sections.push('</section>');
    }
    if (!sections.length) sections.push('<p class="empty">No assertion ran.</p>');
    return sections.join('\n');
  }

  private row(result: ResultEntry): string {
    const search = [`${result.suite}/${result.id}`, result.message, ...result.requirements]
      .join(' ')
      .toLowerCase();
    const open = OPEN_OUTCOMES.has(result.outcome) ? ' open' : '';
    const summary = [
      `<span class="badge ${result.outcome}">${result.outcome}</span>`,
      `<code class="aid">${esc(result.id)}</code>`,
      this.summaryMessage(result),
      `<span class="reqs">${result.requirements.map(esc).join(' ')}</span>`,
      `<span class="sev" title="severity">${esc(result.severity)}</span>`,
    ].join('');
    const meta: [string, string][] = [
      ['assertion', `<code>${esc(result.suite)}/${esc(result.id)}</code>`],
      ['requirements', result.requirements.map((id) => this.requirementLink(id)).join(' ')],
      ['location', `<code>${esc(result.location)}</code> · step <code>${esc(result.step)}</code>`],
    ];
    const body: string[] = [
      `<dl class="meta">${meta.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`,
    ];
    if (result.expectedFailure) {
      body.push(`<p class="note expected"><b>Expected failure:</b> ${esc(result.expectedFailure)}</p>`);
    }
    if (result.expected !== undefined || result.actual !== undefined) {
      body.push(
        '<div class="compare">',
        `<div><h4>expected</h4><pre>${esc(prettyValue(result.expected))}</pre></div>`,
        `<div><h4>actual</h4><pre>${esc(prettyValue(result.actual))}</pre></div>`,
        '</div>',
      );
    }
    body.push(
      `<p class="hint"><b>${result.outcome === 'passed' ? 'Checks' : 'Fix'}:</b> ${esc(result.hint)}</p>`,
    );
    for (const artifact of result.artifacts ?? []) body.push(this.renderArtifact(artifact));
    for (const exchangeId of result.exchanges) {
      const exchange = this.report.exchanges[exchangeId];
      body.push(
        exchange ? renderExchange(exchange) : `<p class="note">exchange ${esc(exchangeId)} missing</p>`,
      );
    }
    return [
      `<details class="result ${result.outcome}" id="${this.anchors.get(result)}" data-outcome="${result.outcome}" data-severity="${esc(result.severity)}" data-search="${esc(search)}"${open}>`,
      `<summary>${summary}</summary>`,
      `<div class="detail">${body.join('\n')}</div>`,
      '</details>',
    ].join('\n');
  }

  /**
   * A browser step's screenshot, embedded once (the report stays one file) and linked from the other
   * results of the step; a trace is linked where the run left it, next to the report.
   */
  private renderArtifact(path: string): string {
    const name = basename(path);
    const image = /\.(png|jpe?g)$/.exec(path)?.[1];
    if (!image) {
      return `<p class="note">Playwright trace: <a href="browser/${esc(name)}">browser/${esc(name)}</a> (open with <code>npx playwright show-trace</code>)</p>`;
    }
    const earlier = this.embedded.get(path);
    if (earlier)
      return `<p class="note">screenshot: <a href="#${earlier}">${esc(name)}</a> (shown with an earlier result of this step)</p>`;
    if (!existsSync(path))
      return `<p class="note">screenshot ${esc(name)} is no longer where the run left it</p>`;
    const id = `shot-${this.embedded.size + 1}`;
    this.embedded.set(path, id);
    const data = readFileSync(path).toString('base64');
    const type = image === 'png' ? 'image/png' : 'image/jpeg';
    return `<figure class="shot" id="${id}"><img alt="screenshot ${esc(name)}" src="data:${type};base64,${data}"><figcaption>${esc(name)}</figcaption></figure>`;
  }

  /** A passed assertion without a title says only "passed": its hint says what was checked. */
  private summaryMessage(result: ResultEntry): string {
    if (result.outcome === 'passed' && result.message === 'passed')
      return `<span class="msg quiet" title="the assertion's hint">${esc(result.hint)}</span>`;
    const tag = result.expectedFailure ? '<span class="tag expected">expected failure</span>' : '';
    return `<span class="msg">${tag}${esc(result.message)}</span>`;
  }

  /**
   * Every requirement of the registry, per spec: its level, its status in this run and each assertion
   * citing it with its outcome (linked to the row) or "not run". Filtered by status and text, like the
   * results; hidden controls without the script, as there.
   */
  private matrix(): string {
    const { coverage } = this.context;
    const bySpec = groupBy(coverage.requirements, (r) => r.spec);
    const counts = new Map<RequirementStatus, number>();
    for (const requirement of coverage.requirements)
      counts.set(requirement.status, (counts.get(requirement.status) ?? 0) + 1);
    const bodies = coverage.specs.map((spec) => {
      const facts = `${spec.requirements} requirements · ${spec.covered} covered by the suites · ${spec.ran} checked in this run`;
      const link = /^https?:\/\//i.test(spec.url)
        ? `<a href="${esc(spec.url)}" target="_blank" rel="noopener noreferrer">${esc(spec.spec)}</a>`
        : esc(spec.spec);
      const chips = REQUIREMENT_STATUSES.map((status) => {
        const n = spec.statuses[status];
        return n
          ? `<span class="chip ${status}" title="${statusLabel(status)}">${n} ${statusLabel(status)}</span>`
          : '';
      }).join('');
      const heading = `<tr class="spec"><th colspan="4"><span class="name">${link} <span class="title">${esc(spec.title)}</span></span><span class="spec-facts">${esc(facts)}</span><span class="chips">${chips}</span></th></tr>`;
      const rows = (bySpec.get(spec.spec) ?? []).map((requirement) => this.matrixRow(requirement));
      return `<tbody data-spec="${esc(spec.spec)}">${heading}\n${rows.join('\n')}</tbody>`;
    });
    const boxes = REQUIREMENT_STATUSES.map(
      (status) =>
        `<label class="check ${status}${counts.get(status) ? '' : ' zero'}"><input type="checkbox" name="status" value="${status}" checked> ${statusLabel(status)} <span class="n">${counts.get(status) ?? 0}</span></label>`,
    );
    const total = coverage.requirements.length;
    const covered = coverage.specs.reduce((sum, spec) => sum + spec.covered, 0);
    const ran = coverage.specs.reduce((sum, spec) => sum + spec.ran, 0);
    return [
      '<section id="matrix" class="matrix">',
      `<h2>Requirement matrix <span class="count">${total} requirements · ${covered} covered by the suites · ${ran} checked in this run</span></h2>`,
      '<form id="matrix-filters" class="filters" hidden role="search">',
      `<fieldset><legend>status</legend>${boxes.join('')}</fieldset>`,
      '<div class="line">',
      '<label class="text">text <input type="search" name="text" placeholder="requirement id or assertion id (all words must match)" autocomplete="off"></label>',
      '<output name="shown" aria-live="polite"></output>',
      '</div>',
      '</form>',
      '<table>',
      '<colgroup><col class="c-id"><col class="c-level"><col class="c-status"><col></colgroup>',
      '<thead><tr><th>requirement</th><th>level</th><th>status</th><th>assertions citing it</th></tr></thead>',
      bodies.join('\n'),
      '</table>',
      '</section>',
    ].join('\n');
  }

  private matrixRow(requirement: RequirementCoverage): string {
    const search = [requirement.id, ...requirement.assertions.map((a) => a.id)].join(' ').toLowerCase();
    const assertions = requirement.assertions.map((assertion) => {
      const anchor = this.anchorsById.get(assertion.id);
      const label = `${assertion.outcome}${assertion.expectedFailure ? ', an expected failure' : ''}`;
      return anchor && assertion.outcome !== 'not-run'
        ? `<li><a class="ref ${assertion.outcome}" href="#${anchor}" title="${esc(label)}">${esc(assertion.id)}</a></li>`
        : `<li><span class="ref not-run" title="not run">${esc(assertion.id)}</span></li>`;
    });
    // a failed or warning row whose failing assertions are all expected failures says so
    const failing = requirement.assertions.filter((a) => a.outcome === requirement.status);
    const expected =
      (requirement.status === 'failed' || requirement.status === 'warning') &&
      failing.every((a) => a.expectedFailure)
        ? ' <span class="tag expected" title="every failing assertion is an expected failure">expected</span>'
        : '';
    const section = /^[0-9A-Z][0-9.]*$/.test(requirement.section)
      ? ` <span class="section">§${esc(requirement.section)}</span>`
      : '';
    return [
      `<tr class="requirement" data-status="${requirement.status}" data-search="${esc(search)}">`,
      `<td class="rid">${this.requirementLink(requirement.id)}${section}</td>`,
      `<td class="level">${esc(requirement.level)}</td>`,
      `<td><span class="badge ${requirement.status}">${statusLabel(requirement.status)}</span>${expected}</td>`,
      `<td>${assertions.length ? `<ul class="refs">${assertions.join('')}</ul>` : `<span class="none">${requirement.status === 'not-black-box' ? 'judged by a manual review only' : 'no assertion yet'}</span>`}</td>`,
      '</tr>',
    ].join('');
  }

  private requirementLink(id: string): string {
    const url = this.context.linkFor(id);
    return url && /^https?:\/\//i.test(url)
      ? `<a class="req" href="${esc(url)}" target="_blank" rel="noopener noreferrer">${esc(id)}</a>`
      : `<span class="req">${esc(id)}</span>`;
  }

  /** `mcp-2025-11-25-authorization` → `MCP-2025-11-25`; `oidc-discovery` → the one key starting `OIDC`. */
  private specKeyForSuite(suite: string): string | undefined {
    const upper = suite.toUpperCase();
    const exact = this.specKeys.find((key) => upper === key || upper.startsWith(`${key}-`));
    if (exact) return exact;
    const first = upper.split('-')[0]!;
    const loose = this.specKeys.filter((key) => key.startsWith(first));
    return loose.length === 1 ? loose[0] : undefined;
  }
}

function renderExchange(exchange: RecordedExchange): string {
  const { request, response, error } = exchange;
  const status = response
    ? `<span class="status s${Math.floor(response.status / 100)}xx">${response.status} ${esc(STATUS_CODES[response.status] ?? '')}</span>`
    : `<span class="status failed">no response${error ? `: ${esc(error.code)}` : ''}</span>`;
  const requestHead = [`${request.method} ${request.url}`, ...headerLines(request.headers)].join('\n');
  const parts = [
    '<div class="part">',
    '<h4>request</h4>',
    `<pre class="head">${esc(requestHead)}</pre>`,
    request.body !== undefined && request.body !== ''
      ? bodyBlock(request.body, contentType(request.headers))
      : '',
    exchange.inbound
      ? '<p class="note">received by the suite\'s client document host (the authorization server fetching a client metadata document)</p>'
      : '',
    exchange.redirects?.length
      ? `<p class="note">redirects followed from: ${exchange.redirects.map((url) => `<code>${esc(url)}</code>`).join(' → ')}</p>`
      : '',
    '</div>',
    '<div class="part">',
    '<h4>response</h4>',
  ];
  if (response) {
    const head = [
      `HTTP ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim(),
      ...headerLines(response.headers),
    ];
    parts.push(`<pre class="head">${esc(head.join('\n'))}</pre>`);
    if (response.body !== '') parts.push(bodyBlock(response.body, contentType(response.headers)));
    if (response.bodyTruncated) {
      parts.push(
        `<p class="note">the run recorded only the start of this ${esc(response.bodyBytes)}-byte body</p>`,
      );
    }
  }
  if (error) parts.push(`<p class="error-text"><b>${esc(error.code)}</b> ${esc(error.message)}</p>`);
  parts.push('</div>');
  return [
    '<details class="exchange">',
    `<summary><span class="method">${esc(request.method)}</span> <span class="url">${esc(request.url)}</span> ${status} <span class="dur">${esc(exchange.durationMs)} ms</span></summary>`,
    `<div class="parts">${parts.join('\n')}</div>`,
    `<p class="when">started ${esc(exchange.startedAt)} · exchange <code>${esc(exchange.id)}</code></p>`,
    '</details>',
  ].join('\n');
}

function bodyBlock(body: string, type: string): string {
  const pretty = /json/i.test(type) || /^\s*[[{]/.test(body) ? prettyJson(body) : body;
  if (pretty.length <= HTML_BODY_LIMIT) return `<pre class="payload">${esc(pretty)}</pre>`;
  return [
    `<pre class="payload">${esc(pretty.slice(0, HTML_BODY_LIMIT))}</pre>`,
    `<p class="note">shown: the first ${HTML_BODY_LIMIT / 1024} KiB of ${pretty.length} characters; exchanges.har (--har) and results.json hold what the run recorded</p>`,
  ].join('\n');
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function prettyValue(value: unknown): string {
  if (value === undefined) return '(none)';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function headerLines(headers: Record<string, string | string[]>): string[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((one) => `${name}: ${one}`),
  );
}

function contentType(headers: Record<string, string | string[]>): string {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type');
  const value = entry?.[1];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function countChips(results: readonly ResultEntry[]): string {
  return OUTCOMES.map((outcome) => {
    const n = results.filter((r) => r.outcome === outcome).length;
    return n ? `<span class="chip ${outcome}" title="${outcome}">${n} ${outcome}</span>` : '';
  }).join('');
}

function statusLabel(status: RequirementStatus): string {
  return status.replace(/-/g, ' ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function esc(value: string | number): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;
--passed:#1a7f37;--passed-bg:#dafbe1;--failed:#cf222e;--failed-bg:#ffebe9;--warning:#9a6700;--warning-bg:#fff8c5;
--info:#0969da;--info-bg:#ddf4ff;--skipped:#59636e;--skipped-bg:#eaeef2;--error:#8250df;--error-bg:#fbefff;
--expected:#953800;--expected-bg:#fff1e5}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0 auto;max-width:1400px;padding:16px 24px 40px}
code,pre,.aid,.url{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
a{color:var(--info)}
h1{font-size:22px;margin:0 0 8px}h1 .subtitle{font-weight:400;color:var(--muted)}
h2{font-size:17px;margin:0}h3{font-size:14px;margin:0}h4{font-size:12px;margin:6px 0 2px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.facts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:0 0 10px}.facts div{display:flex;gap:6px}.facts dt{color:var(--muted)}.facts dd{margin:0}
.totals{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:0 0 10px}
.total{padding:4px 12px;border-radius:6px;border:1px solid var(--line)}.total b{font-size:18px}
.total.zero{opacity:.45}
.jump{margin:0 0 8px}
.passed{--c:var(--passed);--cb:var(--passed-bg)}.failed{--c:var(--failed);--cb:var(--failed-bg)}
.warning{--c:var(--warning);--cb:var(--warning-bg)}.info{--c:var(--info);--cb:var(--info-bg)}
.skipped{--c:var(--skipped);--cb:var(--skipped-bg)}.error{--c:var(--error);--cb:var(--error-bg)}
.expected{--c:var(--expected);--cb:var(--expected-bg)}
.not-run{--c:#6e7781;--cb:#f6f8fa}.not-covered{--c:#8c959f;--cb:#fff}.not-black-box{--c:#6639ba;--cb:#f5f0ff}
.total,.badge,.chip,.tag{color:var(--c);background:var(--cb)}
.badge{display:inline-block;width:5.6em;text-align:center;border-radius:4px;font-size:12px;font-weight:600;padding:1px 0}
.chip,.tag{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin-right:4px;font-weight:400;white-space:nowrap}
.by-suite>summary,.matrix>summary{cursor:pointer;color:var(--muted)}
table{border-collapse:collapse}th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
.suites td{text-align:right;min-width:5.5em}.suites td.zero{color:#bbb}.suites td:not(.zero){color:var(--c);font-weight:600}
.suites th a{color:inherit}
.problems{border:2px solid var(--failed);background:var(--failed-bg);border-radius:6px;padding:8px 16px;margin:12px 0}
.filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;align-items:center;gap:6px 16px;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:6px 12px;margin:12px 0}
.filters fieldset{border:0;padding:0;margin:0;display:flex;gap:10px;align-items:center}.filters legend{float:left;margin-right:6px;color:var(--muted)}
.filters .check{color:var(--c)}.filters .n{color:var(--muted);font-size:12px}
.filters .text{flex:1;display:flex;gap:6px;align-items:center;min-width:200px}.filters .text input{flex:1;padding:3px 6px}
.filters .line{flex-basis:100%;display:flex;gap:16px;align-items:center}.filters output{color:var(--muted);font-size:12px;white-space:nowrap}.filters .tools{display:flex;gap:4px}
.group{margin-top:22px}.group>h2{border-bottom:2px solid var(--line);padding-bottom:4px}.group>h2 .key{color:var(--muted);font-weight:600;margin-right:6px}
.suite{margin:12px 0 0}.suite>h3{margin:0 0 4px;display:flex;gap:10px;align-items:center}
.result{border:1px solid var(--line);border-left:4px solid var(--c);border-radius:4px;margin:3px 0;background:var(--bg)}
.result{scroll-margin-top:110px}
.result>summary,.exchange>summary{list-style:none}.result>summary::-webkit-details-marker,.exchange>summary::-webkit-details-marker{display:none}
.result>summary,.exchange>summary{position:relative;padding-left:22px}
.result>summary::before,.exchange>summary::before{content:"\\25B8";position:absolute;left:7px;color:var(--muted)}
.result[open]>summary::before,.exchange[open]>summary::before{content:"\\25BE"}
.result>summary{display:grid;grid-template-columns:5.8em 21em 1fr 17em 4em;gap:10px;align-items:baseline;padding-top:3px;padding-bottom:3px;padding-right:8px;cursor:pointer}
.reqs{font-size:11.5px;color:var(--muted);overflow-wrap:anywhere}
.result[open]>summary{background:var(--soft)}
.result .aid{overflow-wrap:anywhere}.result .msg{overflow-wrap:anywhere}.result .msg.quiet{color:var(--muted)}
.sev{font-size:11.5px;color:var(--muted);text-align:right}
.detail{padding:4px 12px 10px;border-top:1px solid var(--line)}
.meta{display:grid;grid-template-columns:8em 1fr;gap:2px 10px;margin:4px 0}.meta dt{color:var(--muted)}.meta dd{margin:0}
.req{margin-right:8px;font-size:12.5px}
.compare{display:grid;grid-template-columns:1fr 1fr;gap:12px}
pre{margin:0;padding:6px 8px;background:var(--soft);border:1px solid var(--line);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:28em;overflow:auto}
.hint{margin:6px 0}.note{margin:4px 0;color:var(--muted);font-size:12.5px}.note.expected{color:var(--expected)}
.shot{margin:8px 0}.shot img{max-width:min(100%,720px);border:1px solid var(--line)}.shot figcaption{color:var(--muted);font-size:12px}
.exchange{margin:6px 0;border:1px solid var(--line);border-radius:4px}
.exchange>summary{cursor:pointer;padding-top:3px;padding-bottom:3px;padding-right:8px;display:flex;gap:8px;align-items:baseline}
.exchange .method{font-weight:600}.exchange .url{overflow-wrap:anywhere;flex:1}
.status{font-weight:600}.s2xx{color:var(--passed)}.s3xx{color:var(--info)}.s4xx{color:var(--warning)}.s5xx,.status.failed{color:var(--failed)}
.dur{color:var(--muted);font-size:12px}
.parts{display:grid;grid-template-columns:1fr 1fr;gap:12px;padding:0 8px}.part pre+pre{margin-top:4px}
.when{margin:4px 8px 6px;color:var(--muted);font-size:12px}.error-text{color:var(--failed)}
.matrix{margin-top:32px;border-top:2px solid var(--line);padding-top:12px}.matrix>h2 .count{font-weight:400;color:var(--muted);font-size:13px;margin-left:6px}
.filters .check.zero{opacity:.5}
.matrix table{width:100%;margin-top:6px;table-layout:fixed}.matrix .c-id{width:24em}.matrix .c-level{width:6em}.matrix .c-status{width:9.5em}
.matrix tr.spec th{background:var(--soft);padding:8px 8px 6px;border-top:1px solid var(--line)}
.matrix tr.spec .name{font-size:14px;margin-right:14px}.matrix tr.spec .title{font-weight:400;color:var(--muted)}
.matrix tr.spec .spec-facts{font-weight:400;color:var(--muted);font-size:12px;margin-right:12px}.matrix tr.spec .chips{display:inline-flex;flex-wrap:wrap;gap:4px 0}
.matrix .rid{overflow-wrap:anywhere}.matrix .section{color:var(--muted);font-size:12px;white-space:nowrap}.matrix .level{color:var(--muted);font-size:12px}
.matrix td{vertical-align:baseline}.matrix .badge{width:auto;min-width:5.6em;padding:1px 8px;white-space:nowrap}.badge.not-covered{border:1px dashed var(--line)}
.matrix .none{color:var(--muted);font-size:12px;font-style:italic}
.refs{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:2px 12px}
.ref{color:var(--c);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;text-decoration:none;overflow-wrap:anywhere}
a.ref:hover{text-decoration:underline}
.ref::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:var(--c);margin-right:4px}
.ref.not-run::before{background:transparent;border:1px solid var(--c);width:6px;height:6px}
footer{margin-top:24px;color:var(--muted);font-size:12px}
@media print{.filters{display:none!important}}
`;

/**
 * The filters: outcome checkboxes, severity, free text (all words must occur in the row's id, message
 * or requirement ids); for the matrix, status checkboxes and free text (requirement and assertion
 * ids). Plain DOM, no data: everything it reads is already in the page.
 */
const SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  var rows = Array.prototype.slice.call(document.querySelectorAll('details.result'));
  var containers = Array.prototype.slice.call(document.querySelectorAll('section.suite, section.group'));
  form.hidden = false;
  function apply() {
    var outcomes = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[name=outcome]'), function (box) {
      outcomes[box.value] = box.checked;
    });
    var severity = form.elements.severity.value;
    var words = form.elements.text.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var search = row.getAttribute('data-search');
      var visible = outcomes[row.getAttribute('data-outcome')] &&
        (!severity || row.getAttribute('data-severity') === severity) &&
        words.every(function (word) { return search.indexOf(word) !== -1; });
      row.hidden = !visible;
      if (visible) shown++;
    });
    containers.forEach(function (section) {
      section.hidden = !section.querySelector('details.result:not([hidden])');
    });
    form.elements.shown.value = shown + ' of ' + rows.length + ' assertions shown';
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.addEventListener('click', function (event) {
    var expand = event.target.getAttribute && event.target.getAttribute('data-expand');
    if (expand === null || expand === undefined) return;
    rows.forEach(function (row) { if (!row.hidden) row.open = expand === 'true'; });
  });
  function reveal() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (!target || !target.matches('details.result')) return;
    if (target.hidden) {
      form.reset();
      apply();
    }
    target.open = true;
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  apply();
  reveal();

  var matrixForm = document.getElementById('matrix-filters');
  var requirements = Array.prototype.slice.call(document.querySelectorAll('#matrix tr.requirement'));
  var specs = Array.prototype.slice.call(document.querySelectorAll('#matrix tbody[data-spec]'));
  matrixForm.hidden = false;
  function applyMatrix() {
    var statuses = {};
    Array.prototype.forEach.call(matrixForm.querySelectorAll('input[name=status]'), function (box) {
      statuses[box.value] = box.checked;
    });
    var words = matrixForm.elements.text.value.toLowerCase().split(/s+/).filter(Boolean);
    var shown = 0;
    requirements.forEach(function (row) {
      var search = row.getAttribute('data-search');
      var visible = statuses[row.getAttribute('data-status')] &&
        words.every(function (word) { return search.indexOf(word) !== -1; });
      row.hidden = !visible;
      if (visible) shown++;
    });
    specs.forEach(function (body) {
      body.hidden = !body.querySelector('tr.requirement:not([hidden])');
    });
    matrixForm.elements.shown.value = shown + ' of ' + requirements.length + ' requirements shown';
  }
  matrixForm.addEventListener('input', applyMatrix);
  matrixForm.addEventListener('change', applyMatrix);
  matrixForm.addEventListener('submit', function (event) { event.preventDefault(); });
  applyMatrix();
})();
`;
