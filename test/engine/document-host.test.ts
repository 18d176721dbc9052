import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateLoopbackCertificates,
  type LoopbackCertificates,
} from '../../fixtures/reference/certificates.js';
import { DocumentHost, fetchAsExchange, isLoopbackHost } from '../../src/engine/document-host.js';

let certificates: LoopbackCertificates;
let host: DocumentHost;
let dispatcher: Agent;

beforeAll(async () => {
  certificates = await generateLoopbackCertificates();
  host = await DocumentHost.start({
    bind: '127.0.0.1',
    port: 0,
    certPem: certificates.cert,
    keyPem: certificates.key,
  });
  dispatcher = new Agent({ connect: { ca: certificates.caPem } });
});

afterAll(async () => {
  await Promise.all([host?.close(), dispatcher?.close()]);
});

const get = async (url: string) => {
  const response = await request(url, { dispatcher, headers: { accept: 'application/json' } });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
};

describe('DocumentHost', () => {
  it('serves the document defined for a path with its status, headers and body', async () => {
    host.serve('/c/ok.json', {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' },
      body: '{"client_id":"x"}',
    });
    const answer = await get(`${host.baseUrl}/c/ok.json?ignored=1`);
    expect(answer).toMatchObject({ status: 200, body: '{"client_id":"x"}' });
    expect(answer.headers['cache-control']).toBe('max-age=60');
  });

  it('answers 404 for a path it serves nothing at, and a later definition replaces an earlier one', async () => {
    expect((await get(`${host.baseUrl}/c/none.json`)).status).toBe(404);
    host.serve('/c/flaky.json', { status: 500, headers: {}, body: 'down' });
    expect((await get(`${host.baseUrl}/c/flaky.json`)).status).toBe(500);
    host.serve('/c/flaky.json', { status: 200, headers: {}, body: '{}' });
    expect((await get(`${host.baseUrl}/c/flaky.json`)).status).toBe(200);
  });

  it('records every request, on the document listener and on the decoy, in order', async () => {
    const before = host.fetchCount;
    await get(`${host.baseUrl}/c/ok.json`);
    await get(`${host.decoyBaseUrl}/c/ssrf.json`);
    const fetches = host.fetchesSince(before);
    expect(fetches.map((fetch) => [fetch.listener, fetch.url, fetch.response.status])).toEqual([
      ['document', `${host.baseUrl}/c/ok.json`, 200],
      ['decoy', `${host.decoyBaseUrl}/c/ssrf.json`, 404],
    ]);
    expect(fetches[1]!.sequence).toBe(fetches[0]!.sequence + 1);
    expect(fetches[0]!.headers.accept).toBe('application/json');
    expect(new URL(host.decoyBaseUrl).port).not.toBe(new URL(host.baseUrl).port);
  });

  it('turns a fetch into an inbound exchange with the body cut at 64 KiB', async () => {
    host.serve('/c/big.json', { status: 200, headers: {}, body: `{}${' '.repeat(100 * 1024)}` });
    const before = host.fetchCount;
    await get(`${host.baseUrl}/c/big.json`);
    const exchange = fetchAsExchange(host.fetchesSince(before)[0]!);
    expect(exchange).toMatchObject({
      inbound: true,
      request: { method: 'GET', url: `${host.baseUrl}/c/big.json` },
      response: { status: 200, bodyTruncated: true, bodyBytes: 100 * 1024 + 2 },
    });
    expect(exchange.response!.body.length).toBe(64 * 1024);
  });

  it('refuses to bind anywhere but a loopback address', async () => {
    await expect(
      DocumentHost.start({ bind: '0.0.0.0', port: 0, certPem: certificates.cert, keyPem: certificates.key }),
    ).rejects.toThrow('the client document host binds to loopback addresses only, not "0.0.0.0"');
    await expect(
      DocumentHost.start({
        bind: 'localhost',
        port: 0,
        certPem: certificates.cert,
        keyPem: certificates.key,
      }),
    ).rejects.toThrow('loopback addresses only');
  });
});

describe('isLoopbackHost', () => {
  it('accepts 127.0.0.0/8, ::1 and localhost', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'a.localhost'])
      expect(isLoopbackHost(host), host).toBe(true);
  });
  it('rejects other addresses and names', () => {
    for (const host of ['0.0.0.0', '10.0.0.1', '169.254.169.254', 'example.com', '::', '128.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
