import type { RecordedExchange } from '../../src/engine/exchange.js';
import { type RunCoverage, runCoverage } from '../../src/runner/run-coverage.js';
import type { ResultEntry, RunReport } from '../../src/runner/run-report.js';
import type { Requirement, RequirementRegistry } from '../../src/suite/requirements.js';

export const HOSTILE = '<script>alert(1)</script>';

const base = {
  requirements: ['RFC9728-3.3-resource-equal'],
  severity: 'failure',
  hint: 'Serve the resource identifier exactly.',
  step: 'metadata',
  exchanges: [],
} satisfies Partial<ResultEntry>;

/** A small report with one result per interesting case, two exchanges and hostile content. */
export function sampleReport(overrides: Partial<RunReport> = {}): RunReport {
  const exchanges: Record<string, RecordedExchange> = {
    'rfc9728-protected-resource-metadata:x1': {
      id: 'rfc9728-protected-resource-metadata:x1',
      startedAt: '2026-01-02T03:04:05.678Z',
      durationMs: 12,
      request: {
        method: 'GET',
        url: 'https://127.0.0.1:8443/.well-known/oauth-protected-resource/mcp?x=1&y=two',
        headers: { accept: 'application/json', cookie: 'a=1; b=2' },
      },
      response: {
        status: 400,
        headers: {
          'content-type': 'text/html',
          'set-cookie': ['sid=[redacted]; HttpOnly', 'theme=dark'],
          'x-evil': `"><img src=x onerror=alert(1)>`,
        },
        body: `<html>${HOSTILE}</html>`,
        bodyTruncated: false,
        bodyBytes: 41,
      },
    },
    'rfc9728-protected-resource-metadata:x2': {
      id: 'rfc9728-protected-resource-metadata:x2',
      startedAt: '2026-01-02T03:04:06.000Z',
      durationMs: 5000,
      request: {
        method: 'POST',
        url: 'https://127.0.0.1:8443/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_secret=[redacted]',
      },
      error: { code: 'ERR_TIMEOUT', message: 'no response within 5000 ms' },
    },
  };
  const results: ResultEntry[] = [
    {
      ...base,
      suite: 'rfc9728-protected-resource-metadata',
      id: 'resource-present',
      outcome: 'passed',
      message: '"resource" is present',
      location: 'suites/rfc9728/protected-resource-metadata.suite.yaml:10:9',
    },
    {
      ...base,
      suite: 'rfc9728-protected-resource-metadata',
      id: 'resource-equals-resource-identifier',
      outcome: 'failed',
      message: `$.resource does not equal ${HOSTILE}`,
      expected: { resource: 'https://127.0.0.1:8443/mcp' },
      actual: { resource: 'https://127.0.0.1:8443/mcp/' },
      location: 'suites/rfc9728/protected-resource-metadata.suite.yaml:20:9',
      exchanges: ['rfc9728-protected-resource-metadata:x1'],
    },
    {
      ...base,
      suite: 'rfc9728-protected-resource-metadata',
      id: 'jwks-uri-https',
      outcome: 'skipped',
      message: 'needs capture.prm_jwks_uri: no $.jwks_uri',
      location: 'suites/rfc9728/protected-resource-metadata.suite.yaml:30:9',
    },
    {
      ...base,
      suite: 'oauth21-token-endpoint',
      id: 'token-endpoint-answers',
      requirements: ['OAUTH21-3.2-token-endpoint'],
      outcome: 'error',
      message: 'step "token" (POST https://127.0.0.1:8443/token) got no response: ERR_TIMEOUT',
      location: 'suites/oauth21/token-endpoint.suite.yaml:5:9',
      step: 'token',
      exchanges: ['rfc9728-protected-resource-metadata:x2'],
    },
    {
      ...base,
      suite: 'oauth21-token-endpoint',
      id: 'cache-control-no-store',
      requirements: ['OAUTH21-3.2-token-endpoint', 'RFC9728-3.3-resource-equal'],
      severity: 'warning',
      outcome: 'warning',
      message: 'header "cache-control" does not match',
      expected: 'no-store',
      actual: null,
      location: 'suites/oauth21/token-endpoint.suite.yaml:9:9',
      step: 'token',
      expectedFailure: 'the vendor sends Pragma only & knows it',
    },
  ];
  return {
    tool: { name: 'mcp-conformance', version: '9.9.9' },
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 6543,
    target: {
      name: `staging ${HOSTILE}`,
      issuer: 'https://127.0.0.1:8443',
      mcpUrl: 'https://127.0.0.1:8443/mcp',
    },
    profile: 'mcp-2025-11-25',
    summary: { passed: 1, failed: 1, warning: 1, info: 0, skipped: 1, error: 1 },
    expectedFailures: 1,
    staleExpectedFailures: [],
    results,
    exchanges,
    problems: [],
    leftoverClients: [],
    suiteDurations: { 'mcp-2025-11-25-authorization': 120 },
    ...overrides,
  };
}

const requirement = (
  id: string,
  spec: string,
  section: string,
  extra: Partial<Requirement> = {},
): [string, Requirement] => [
  id,
  { id, spec, section, level: 'MUST', actor: 'RS', ui: 'No', black_box: true, text: id, ...extra },
];

/**
 * A registry for the sample report: a requirement its results cite, one only an assertion outside the
 * run cites, one no assertion cites and one only a manual review can judge; OAUTH21 with a bad URL.
 */
export function sampleRegistry(): Pick<RequirementRegistry, 'requirements' | 'specs' | 'linkFor'> {
  return {
    requirements: new Map([
      requirement('RFC9728-2-not-yet', 'RFC9728', '2'),
      requirement('RFC9728-3.3-resource-equal', 'RFC9728', '3.3'),
      requirement('RFC9728-3.3-other', 'RFC9728', '3.3'),
      requirement('RFC9728-7-manual', 'RFC9728', '7', { black_box: false, level: 'SHOULD' }),
      requirement('OAUTH21-3.2-token-endpoint', 'OAUTH21', '3.2'),
    ]),
    specs: new Map([
      [
        'RFC9728',
        {
          title: 'OAuth 2.0 Protected Resource Metadata',
          url: 'https://www.rfc-editor.org/rfc/rfc9728',
          section_url: 'https://www.rfc-editor.org/rfc/rfc9728#section-{section}',
          id_prefixes: ['RFC9728-'],
        },
      ],
      [
        'OAUTH21',
        {
          title: 'The OAuth 2.1 Authorization Framework',
          url: 'javascript:alert(1)',
          id_prefixes: ['OAUTH21-'],
        },
      ],
    ]),
    linkFor: (id) =>
      id.startsWith('RFC9728-')
        ? `https://www.rfc-editor.org/rfc/rfc9728#section-${id.split('-')[1]}`
        : id.startsWith('OAUTH21-')
          ? 'javascript:alert(1)'
          : undefined,
  };
}

/** The catalog's citations for the sample registry: one assertion the sample run did not run. */
export const SAMPLE_CITATIONS: ReadonlyMap<string, readonly string[]> = new Map([
  [
    'RFC9728-3.3-resource-equal',
    [
      'rfc9728-protected-resource-metadata/resource-present',
      'rfc9728-protected-resource-metadata/resource-equals-resource-identifier',
      'rfc9728-protected-resource-metadata/jwks-uri-https',
    ],
  ],
  ['RFC9728-3.3-other', ['rfc9728-protected-resource-metadata/not-in-this-run']],
  ['OAUTH21-3.2-token-endpoint', ['oauth21-token-endpoint/token-endpoint-answers']],
]);

export function sampleCoverage(report: RunReport = sampleReport()): RunCoverage {
  return runCoverage(report.results, sampleRegistry(), SAMPLE_CITATIONS);
}
