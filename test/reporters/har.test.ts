import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Har, renderHar } from '../../reporters/har.js';
import { runCli } from '../cli/run-cli.js';
import { sampleReport } from './sample-report.js';

describe('renderHar', () => {
  const har = JSON.parse(renderHar(sampleReport())) as Har;

  it('is HAR 1.2 with one entry per exchange', () => {
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'mcp-conformance', version: '9.9.9' });
    expect(har.log.entries).toHaveLength(2);
    expect(har.log.pages.map((page) => page.id)).toEqual([
      'rfc9728-protected-resource-metadata',
      'oauth21-token-endpoint',
    ]);
  });

  it('has every field HAR 1.2 requires on each entry', () => {
    for (const entry of har.log.entries) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining(['startedDateTime', 'time', 'request', 'response', 'cache', 'timings']),
      );
      expect(Object.keys(entry.request)).toEqual(
        expect.arrayContaining([
          'method',
          'url',
          'httpVersion',
          'cookies',
          'headers',
          'queryString',
          'headersSize',
          'bodySize',
        ]),
      );
      expect(Object.keys(entry.response)).toEqual(
        expect.arrayContaining([
          'status',
          'statusText',
          'httpVersion',
          'cookies',
          'headers',
          'content',
          'redirectURL',
          'headersSize',
          'bodySize',
        ]),
      );
      expect(Object.keys(entry.response.content)).toEqual(expect.arrayContaining(['size', 'mimeType']));
      expect(entry.timings.send + entry.timings.wait + entry.timings.receive).toBe(entry.time);
      expect(new Date(entry.startedDateTime).toISOString()).toBe(entry.startedDateTime);
    }
  });

  it('maps a complete exchange', () => {
    const entry = har.log.entries[0]!;
    expect(entry.pageref).toBe('rfc9728-protected-resource-metadata');
    expect(entry._id).toBe('rfc9728-protected-resource-metadata:x1');
    expect(entry._assertions).toEqual([
      'rfc9728-protected-resource-metadata/resource-equals-resource-identifier',
    ]);
    expect(entry.time).toBe(12);
    expect(entry.request).toEqual({
      method: 'GET',
      url: 'https://127.0.0.1:8443/.well-known/oauth-protected-resource/mcp?x=1&y=two',
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'accept', value: 'application/json' },
        { name: 'cookie', value: 'a=1; b=2' },
      ],
      queryString: [
        { name: 'x', value: '1' },
        { name: 'y', value: 'two' },
      ],
      cookies: [
        { name: 'a', value: '1' },
        { name: 'b', value: '2' },
      ],
      headersSize: -1,
      bodySize: 0,
    });
    expect(entry.response.status).toBe(400);
    expect(entry.response.statusText).toBe('Bad Request');
    expect(entry.response.headers).toContainEqual({ name: 'set-cookie', value: 'theme=dark' });
    expect(entry.response.cookies).toEqual([
      { name: 'sid', value: '[redacted]' },
      { name: 'theme', value: 'dark' },
    ]);
    expect(entry.response.content).toEqual({
      size: 41,
      mimeType: 'text/html',
      text: '<html><script>alert(1)</script></html>',
    });
    expect(entry.response.bodySize).toBe(41);
    expect(entry.response.redirectURL).toBe('');
  });

  it('gives an exchange without a response status 0 and its error in _error', () => {
    const entry = har.log.entries[1]!;
    expect(entry.response.status).toBe(0);
    expect(entry._error).toEqual({ code: 'ERR_TIMEOUT', message: 'no response within 5000 ms' });
    expect(entry.request.postData).toEqual({
      mimeType: 'application/x-www-form-urlencoded',
      text: 'grant_type=client_credentials&client_secret=[redacted]',
    });
    expect(entry.request.bodySize).toBe(54);
    expect(entry._assertions).toEqual(['oauth21-token-endpoint/token-endpoint-answers']);
  });
});

describe('exchanges.har of a real run (embedded reference target)', () => {
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'mcp-conformance-har-'));
    const run = await runCli(['run', '--out', out, '--har', '--reporter', 'json']);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('parses and has one entry per exchange in results.json', () => {
    const har = JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as Har;
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      exchanges: Record<string, unknown>;
    };
    expect(har.log.version).toBe('1.2');
    expect(Object.keys(results.exchanges).length).toBeGreaterThan(20);
    expect(har.log.entries).toHaveLength(Object.keys(results.exchanges).length);
    expect(new Set(har.log.entries.map((entry) => entry._id))).toEqual(
      new Set(Object.keys(results.exchanges)),
    );
  });
});
