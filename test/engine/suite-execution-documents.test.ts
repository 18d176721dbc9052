/**
 * The engine's side of client ID metadata documents, without an authorization server: the suite's own
 * requests fetch from its document host, so what the host serves and records is known exactly.
 */
import { createServer, type Server } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateLoopbackCertificates,
  type LoopbackCertificates,
} from '../../fixtures/reference/certificates.js';
import type { RunContext } from '../../src/engine/run-context.js';
import { SuiteExecution } from '../../src/engine/suite-execution.js';
import { buildSuite, type SuiteVocabulary } from '../../src/suite/load-suite.js';
import { parseYamlText } from '../../src/suite/yaml-file.js';

const vocabulary: SuiteVocabulary = {
  requirementIds: new Set(['REQ-1']),
  checkNames: new Set(),
  contextNames: new Set(['cimd.base_url', 'cimd.authority', 'cimd.decoy_base_url', 'cimd.document_url']),
  specs: new Set(['CIMD']),
};

const SUITE = `schema: mcp-conformance/suite/v1
id: documents
title: Documents
spec: CIMD
needs: [cimd.base_url]
documents:
  - path: /c.json
    headers: { cache-control: max-age=60 }
    json: { client_id: '{{ cimd.document_url }}' }
steps:
  - id: first
    request: { method: GET, url: '{{ cimd.base_url }}/c.json' }
    expect:
      - { id: own-url, requirements: [REQ-1], severity: failure, hint: h, json: $.client_id, equals: '{{ cimd.base_url }}/c.json' }
      - { id: fetched-once, requirements: [REQ-1], severity: failure, hint: h, fetches: '{{ cimd.base_url }}/c.json', count: 1 }
  - id: second
    documents:
      - { path: /c.json, status: 500, body: down, pad_to_bytes: 10 }
    request: { method: GET, url: '{{ cimd.base_url }}/c.json' }
    expect:
      - { id: replaced, requirements: [REQ-1], severity: failure, hint: h, body: true, equals: 'down      ' }
      - { id: decoy-quiet, requirements: [REQ-1], severity: failure, hint: h, fetches: '{{ cimd.decoy_base_url }}/c.json', count: 0 }
`;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let certificates: LoopbackCertificates;
beforeAll(async () => {
  certificates = await generateLoopbackCertificates();
});

const contextFor = (port: number, withHost = true): RunContext => ({
  target: {
    name: 't',
    clients: {},
    scopes: {},
    caPem: certificates.caPem,
    options: { timeoutMs: 5000, maxResponseBytes: 1024 * 1024, scopeErrorStyle: 'http-403' },
    secrets: [],
    ...(withHost
      ? {
          cimd: {
            bind: '127.0.0.1',
            port,
            baseUrl: `https://127.0.0.1:${port}`,
            certPem: certificates.cert,
            keyPem: certificates.key,
          },
        }
      : {}),
  },
  discovery: { values: {}, missing: {} },
});

describe('SuiteExecution with the client document host', () => {
  const suite = () => buildSuite(parseYamlText(SUITE, 'documents.suite.yaml'), vocabulary);
  const verdicts = async (execution: SuiteExecution) => {
    const found: Record<string, string> = {};
    for (const [index, step] of execution.suite.steps.entries())
      for (const assertion of step.expect) {
        const verdict = await execution.evaluate(index, assertion);
        found[assertion.id] =
          `${verdict.outcome}${verdict.outcome === 'passed' ? '' : `: ${verdict.message}`}`;
      }
    await execution.close();
    return found;
  };

  it('serves the suite and step documents, records the fetches per step and lists them as inbound exchanges', async () => {
    const execution = new SuiteExecution(suite(), contextFor(await freePort()));
    expect(await verdicts(execution)).toEqual({
      'own-url': 'passed',
      'fetched-once': 'passed',
      replaced: 'passed',
      'decoy-quiet': 'passed',
    });
    const inbound = execution.exchanges.filter((exchange) => exchange.inbound);
    expect(inbound.map((exchange) => exchange.response?.status)).toEqual([200, 500]);
    expect(inbound[0]!.response!.headers['cache-control']).toBe('max-age=60');
  });

  it('reports every step as an error when the host cannot listen on its port', async () => {
    let busy: Server | undefined;
    const port = await freePort();
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(port, '127.0.0.1', resolve));
    try {
      const found = await verdicts(new SuiteExecution(suite(), contextFor(port)));
      expect(found['own-url']).toMatch(
        new RegExp(
          `^error: the client document host could not start on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`,
        ),
      );
      expect(found.replaced).toMatch(/^error: the client document host could not start/);
    } finally {
      await new Promise((resolve) => busy?.close(resolve));
    }
  });

  it('skips the suite with the reason when the target declares no host', async () => {
    const found = await verdicts(new SuiteExecution(suite(), contextFor(0, false)));
    expect(new Set(Object.values(found))).toEqual(
      new Set(['skipped: needs cimd.base_url: the target declares no client document host (cimd)']),
    );
  });
});
