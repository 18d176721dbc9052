import { describe, expect, it } from 'vitest';
import { HTML_BODY_LIMIT, renderHtml } from '../../reporters/html.js';
import { HOSTILE, sampleCoverage, sampleReport } from './sample-report.js';

const context = {
  linkFor: (id: string) =>
    id === 'RFC9728-3.3-resource-equal'
      ? 'https://www.rfc-editor.org/rfc/rfc9728#section-3.3'
      : id === 'OAUTH21-3.2-token-endpoint'
        ? 'javascript:alert(1)'
        : undefined,
  specTitles: {
    RFC9728: 'OAuth 2.0 Protected Resource Metadata',
    OAUTH21: 'The OAuth 2.1 Authorization Framework',
  },
  coverage: sampleCoverage(),
};

function rowOf(html: string, id: string): string {
  const start = html.lastIndexOf('<details class="result', html.indexOf(`<code class="aid">${id}</code>`));
  return html.slice(start, html.indexOf('</div>\n</details>', start));
}

describe('renderHtml', () => {
  const html = renderHtml(sampleReport(), context);

  it('is one self-contained document under a CSP that forbids loading anything', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]+src=|<img\b|<iframe\b|@import|url\(/i);
    expect(html.match(/<link\b[^>]*>/g)).toEqual(['<link rel="icon" href="data:,">']);
  });

  it('escapes everything that comes from the server or the run', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('<img src=x');
    // the response body, the message and the target name each carry the hostile string
    expect(html.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1).toBeGreaterThanOrEqual(3);
    expect(html).toContain('x-evil: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows the target, the profile, the tool, the date, the duration and the totals', () => {
    expect(html).toContain('staging &lt;script&gt;');
    expect(html).toContain('<code>https://127.0.0.1:8443</code>');
    expect(html).toContain('<code>https://127.0.0.1:8443/mcp</code>');
    expect(html).toContain('<code>mcp-2025-11-25</code>');
    expect(html).toContain('mcp-conformance 9.9.9');
    expect(html).toContain('2026-01-02 03:04:05 UTC');
    expect(html).toContain('6.5 s');
    for (const [outcome, n] of Object.entries(sampleReport().summary))
      expect(html).toContain(`<b>${n}</b> ${outcome}</li>`);
    expect(html).toContain('<b>1</b> expected failure</li>');
  });

  it('has one row per result with its outcome and severity as data attributes', () => {
    const outcomes = [
      ...html.matchAll(
        /<details class="result [a-z]+" id="r\d+" data-outcome="([a-z]+)" data-severity="([a-z]+)"/g,
      ),
    ];
    expect(outcomes.map((m) => m[1]).sort()).toEqual(['error', 'failed', 'passed', 'skipped', 'warning']);
    expect(html.match(/data-outcome=/g)).toHaveLength(5);
  });

  it('groups by spec area, then by suite', () => {
    const oauth = html.indexOf('<span class="key">OAUTH21</span> The OAuth 2.1 Authorization Framework');
    const rfc9728 = html.indexOf('<span class="key">RFC9728</span> OAuth 2.0 Protected Resource Metadata');
    expect(oauth).toBeGreaterThan(0);
    expect(rfc9728).toBeGreaterThan(oauth);
    expect(html.indexOf('<code>oauth21-token-endpoint</code>')).toBeGreaterThan(oauth);
    expect(html.indexOf('<code>rfc9728-protected-resource-metadata</code>')).toBeGreaterThan(rfc9728);
  });

  it('shows a failed result with expected and actual, the hint, the location and its exchange', () => {
    const row = rowOf(html, 'resource-equals-resource-identifier');
    expect(row).toContain(' open>');
    expect(row).toContain(
      '<a class="req" href="https://www.rfc-editor.org/rfc/rfc9728#section-3.3" target="_blank" rel="noopener noreferrer">RFC9728-3.3-resource-equal</a>',
    );
    expect(row).toContain('<pre>{\n  &quot;resource&quot;: &quot;https://127.0.0.1:8443/mcp&quot;\n}</pre>');
    expect(row).toContain('<pre>{\n  &quot;resource&quot;: &quot;https://127.0.0.1:8443/mcp/&quot;\n}</pre>');
    expect(row).toContain('<b>Fix:</b> Serve the resource identifier exactly.');
    expect(row).toContain('<code>suites/rfc9728/protected-resource-metadata.suite.yaml:20:9</code>');
    expect(row).toContain('<details class="exchange">');
    expect(row).toContain(
      '<span class="method">GET</span> <span class="url">https://127.0.0.1:8443/.well-known/oauth-protected-resource/mcp?x=1&amp;y=two</span>',
    );
    expect(row).toContain('400 Bad Request');
    expect(row).toContain('12 ms');
    expect(row).toContain('set-cookie: theme=dark');
    expect(row).toContain(
      '<pre class="payload">&lt;html&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/html&gt;</pre>',
    );
  });

  it('shows an exchange that got no response with its error', () => {
    const row = rowOf(html, 'token-endpoint-answers');
    expect(row).toContain('no response: ERR_TIMEOUT');
    expect(row).toContain('<b>ERR_TIMEOUT</b> no response within 5000 ms');
    expect(row).toContain('grant_type=client_credentials&amp;client_secret=[redacted]');
  });

  it('links only http(s) requirement URLs', () => {
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<span class="req">OAUTH21-3.2-token-endpoint</span>');
  });

  it('shows the expected-failure reason and keeps passed and skipped rows closed', () => {
    const warning = rowOf(html, 'cache-control-no-store');
    expect(warning).toContain('<b>Expected failure:</b> the vendor sends Pragma only &amp; knows it');
    expect(warning).toContain('<span class="tag expected">expected failure</span>');
    expect(warning).toContain('<pre>null</pre>');
    expect(rowOf(html, 'resource-present')).not.toContain(' open>');
    expect(rowOf(html, 'jwks-uri-https')).toContain('needs capture.prm_jwks_uri: no $.jwks_uri');
  });

  it('has a requirement matrix: every requirement, its status, the assertions citing it and their outcomes', () => {
    const matrix = html.slice(
      html.indexOf('<section id="matrix"'),
      html.indexOf('</section>', html.indexOf('<section id="matrix"')),
    );
    const matrixRow = (id: string) => {
      const start = matrix.lastIndexOf('<tr class="requirement"', matrix.indexOf(`>${id}</`));
      return matrix.slice(start, matrix.indexOf('</tr>', start));
    };
    expect(matrix).toContain('5 requirements · 3 covered by the suites · 2 checked in this run');
    const equal = matrixRow('RFC9728-3.3-resource-equal');
    expect(equal).toContain('data-status="failed"');
    expect(equal).toContain(
      '<a class="req" href="https://www.rfc-editor.org/rfc/rfc9728#section-3.3" target="_blank" rel="noopener noreferrer">RFC9728-3.3-resource-equal</a> <span class="section">§3.3</span>',
    );
    expect(equal).toContain('<span class="badge failed">failed</span>');
    // each assertion links to its row, colored by its outcome
    const anchor = (id: string) => /id="(r\d+)"/.exec(rowOf(html, id))![1];
    expect(equal).toContain(
      `<a class="ref failed" href="#${anchor('resource-equals-resource-identifier')}" title="failed">rfc9728-protected-resource-metadata/resource-equals-resource-identifier</a>`,
    );
    expect(equal).toContain(
      `<a class="ref warning" href="#${anchor('cache-control-no-store')}" title="warning, an expected failure">oauth21-token-endpoint/cache-control-no-store</a>`,
    );
    expect(matrixRow('RFC9728-3.3-other')).toContain(
      '<span class="ref not-run" title="not run">rfc9728-protected-resource-metadata/not-in-this-run</span>',
    );
    expect(matrixRow('RFC9728-3.3-other')).toContain('<span class="badge not-run">not run</span>');
    expect(matrixRow('RFC9728-2-not-yet')).toContain('no assertion yet');
    expect(matrixRow('RFC9728-7-manual')).toContain('judged by a manual review only');
    expect(matrixRow('RFC9728-7-manual')).toContain('<td class="level">SHOULD</td>');
    // the spec heading links the document, except a URL that is not http(s)
    expect(matrix).toContain(
      '<a href="https://www.rfc-editor.org/rfc/rfc9728" target="_blank" rel="noopener noreferrer">RFC9728</a> <span class="title">OAuth 2.0 Protected Resource Metadata</span>',
    );
    expect(matrix).toContain('4 requirements · 2 covered by the suites · 1 checked in this run');
    expect(matrix).not.toContain('javascript:');
    expect(matrix.match(/<tr class="requirement"/g)).toHaveLength(5);
    expect(matrix).toContain('<form id="matrix-filters" class="filters" hidden role="search">');
  });

  it('marks a matrix row whose failing assertions are all expected failures', () => {
    const report = sampleReport();
    report.results[1]!.expectedFailure = 'known';
    const withExpected = renderHtml(report, { ...context, coverage: sampleCoverage(report) });
    const tag =
      '<span class="tag expected" title="every failing assertion is an expected failure">expected</span>';
    expect(withExpected).toContain(`<span class="badge failed">failed</span> ${tag}`);
    expect(html).not.toContain(tag);
  });

  it('hides the filters until the script shows them', () => {
    expect(html).toContain('<form id="filters" class="filters" hidden role="search">');
  });

  it('leaves the problems section out when there are none, and shows problems and leftover clients', () => {
    expect(html).not.toContain('id="problems"');
    const withProblems = renderHtml(
      sampleReport({
        problems: [`setup failed: ${HOSTILE}`],
        leftoverClients: [
          { suite: 'rfc7591-dynamic-client-registration', clientId: 'abc<1>', reason: 'no RFC 7592 support' },
        ],
        staleExpectedFailures: [
          { id: 'rfc9728-protected-resource-metadata/resource-present', reason: 'old bug' },
        ],
      }),
      context,
    );
    const problems = withProblems.slice(
      withProblems.indexOf('id="problems"'),
      withProblems.indexOf('</section>', withProblems.indexOf('id="problems"')),
    );
    expect(problems).toContain('setup failed: &lt;script&gt;');
    expect(problems).toContain('<code>abc&lt;1&gt;</code>');
    expect(problems).toContain('no RFC 7592 support');
    expect(problems).toContain(
      'stale expected failure: <code>rfc9728-protected-resource-metadata/resource-present</code>',
    );
  });

  it('shows at most 16 KiB of a body, with a note', () => {
    const report = sampleReport();
    const exchange = report.exchanges['rfc9728-protected-resource-metadata:x1']!;
    exchange.response = {
      ...exchange.response!,
      body: 'a'.repeat(40_000),
      bodyTruncated: true,
      bodyBytes: 900_000,
    };
    const big = renderHtml(report, context);
    expect(big).toContain(`<pre class="payload">${'a'.repeat(HTML_BODY_LIMIT)}</pre>`);
    expect(big).not.toContain('a'.repeat(HTML_BODY_LIMIT + 1));
    expect(big).toContain('shown: the first 16 KiB of 40000 characters');
    expect(big).toContain('the run recorded only the start of this 900000-byte body');
  });

  it('pretty-prints JSON bodies', () => {
    const report = sampleReport();
    const exchange = report.exchanges['rfc9728-protected-resource-metadata:x1']!;
    exchange.response = {
      ...exchange.response!,
      headers: { 'content-type': 'application/json' },
      body: '{"resource":"https://127.0.0.1:8443/mcp/"}',
    };
    expect(renderHtml(report, context)).toContain(
      '<pre class="payload">{\n  &quot;resource&quot;: &quot;https://127.0.0.1:8443/mcp/&quot;\n}</pre>',
    );
  });
});
