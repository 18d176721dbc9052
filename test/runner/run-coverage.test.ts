import { describe, expect, it } from 'vitest';
import { runCoverage } from '../../src/runner/run-coverage.js';
import {
  SAMPLE_CITATIONS,
  sampleCoverage,
  sampleRegistry,
  sampleReport,
} from '../reporters/sample-report.js';

describe('runCoverage', () => {
  const coverage = sampleCoverage();
  const row = (id: string) => coverage.requirements.find((r) => r.id === id);

  it('lists every requirement of the registry, spec by spec in registry order', () => {
    expect(coverage.requirements.map((r) => r.id)).toEqual([
      'RFC9728-2-not-yet',
      'RFC9728-3.3-resource-equal',
      'RFC9728-3.3-other',
      'RFC9728-7-manual',
      'OAUTH21-3.2-token-endpoint',
    ]);
  });

  it('gives a requirement the worst outcome of its assertions, each assertion with its own', () => {
    expect(row('RFC9728-3.3-resource-equal')).toEqual({
      id: 'RFC9728-3.3-resource-equal',
      spec: 'RFC9728',
      section: '3.3',
      level: 'MUST',
      link: 'https://www.rfc-editor.org/rfc/rfc9728#section-3.3',
      status: 'failed',
      assertions: [
        { id: 'rfc9728-protected-resource-metadata/resource-present', outcome: 'passed' },
        { id: 'rfc9728-protected-resource-metadata/resource-equals-resource-identifier', outcome: 'failed' },
        { id: 'rfc9728-protected-resource-metadata/jwks-uri-https', outcome: 'skipped' },
        // cited by a result of the run, not by the catalog given
        { id: 'oauth21-token-endpoint/cache-control-no-store', outcome: 'warning', expectedFailure: true },
      ],
    });
    expect(row('OAUTH21-3.2-token-endpoint')?.status).toBe('error');
  });

  it('says why a requirement has no outcome: not run, not covered or not black-box', () => {
    expect(row('RFC9728-3.3-other')).toMatchObject({
      status: 'not-run',
      assertions: [{ id: 'rfc9728-protected-resource-metadata/not-in-this-run', outcome: 'not-run' }],
    });
    expect(row('RFC9728-2-not-yet')).toMatchObject({ status: 'not-covered', assertions: [] });
    expect(row('RFC9728-7-manual')).toMatchObject({
      status: 'not-black-box',
      level: 'SHOULD',
      assertions: [],
    });
  });

  it('sums each spec', () => {
    expect(coverage.specs).toEqual([
      {
        spec: 'RFC9728',
        title: 'OAuth 2.0 Protected Resource Metadata',
        url: 'https://www.rfc-editor.org/rfc/rfc9728',
        requirements: 4,
        covered: 2,
        ran: 1,
        statuses: { 'not-covered': 1, failed: 1, 'not-run': 1, 'not-black-box': 1 },
      },
      {
        spec: 'OAUTH21',
        title: 'The OAuth 2.1 Authorization Framework',
        url: 'javascript:alert(1)',
        requirements: 1,
        covered: 1,
        ran: 1,
        statuses: { error: 1 },
      },
    ]);
  });

  it('counts a skipped-only requirement as skipped, not as passed', () => {
    const report = sampleReport();
    const only = report.results.filter((r) => r.id === 'jwks-uri-https');
    const skippedOnly = runCoverage(only, sampleRegistry(), SAMPLE_CITATIONS);
    expect(skippedOnly.requirements.find((r) => r.id === 'RFC9728-3.3-resource-equal')?.status).toBe(
      'skipped',
    );
  });
});
