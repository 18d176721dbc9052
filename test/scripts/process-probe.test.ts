/**
 * scripts/process-probe.js, preloaded into the processes the bench measures: it reports the peak RSS
 * and, with PROBE_LOOPBACK_ONLY=1, refuses connections off loopback. The refused address here is
 * 0.0.0.0, which Linux routes to this machine: if the guard let it through, the request would reach the
 * loopback server below and the test would fail, without a packet leaving the machine.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runNode } from '../cli/run-cli.js';

const probe = fileURLToPath(new URL('../../scripts/process-probe.js', import.meta.url));

function runWithProbe(code: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runNode(['--import', probe, '--input-type=module', '-e', code], { env });
}

describe('process probe', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(`${request.method} ${request.url}`);
      response.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const fetchBoth = () => `
    for (const url of ['http://127.0.0.1:${port}/loopback', 'http://0.0.0.0:${port}/elsewhere']) {
      try {
        const response = await fetch(url);
        console.log(url, response.status);
      } catch (error) {
        console.log(url, 'refused:', error.cause?.message ?? error.message);
      }
    }`;

  it('with PROBE_LOOPBACK_ONLY=1: refuses the non-loopback address, counts the requests, reports RSS', async () => {
    const { stdout, stderr } = await runWithProbe(fetchBoth(), { PROBE_LOOPBACK_ONLY: '1' });
    expect(stdout).toContain(`http://127.0.0.1:${port}/loopback 200`);
    expect(stdout).toContain(
      `http://0.0.0.0:${port}/elsewhere refused: connection to 0.0.0.0 refused: not a loopback address`,
    );
    expect(received).toEqual(['GET /loopback']);
    expect(stderr).toMatch(/^PROBE_OFF_LOOPBACK=0\.0\.0\.0$/m);
    expect(stderr).toMatch(/^PROBE_REQUESTS=2$/m);
    expect(stderr).toMatch(new RegExp(`^PROBE_ORIGIN=http://127\\.0\\.0\\.1:${port}$`, 'm'));
    expect(Number(/^PROBE_MAX_RSS_KB=(\d+)$/m.exec(stderr)?.[1])).toBeGreaterThan(10_000);
  });

  it('without it: only reports the peak RSS', async () => {
    received.length = 0;
    const { stdout, stderr } = await runWithProbe(fetchBoth(), { PROBE_LOOPBACK_ONLY: '' });
    // the control: Linux routes 0.0.0.0 to this machine, so without the guard both requests arrive
    expect(stdout).toContain(`http://0.0.0.0:${port}/elsewhere 200`);
    expect(received).toEqual(['GET /loopback', 'GET /elsewhere']);
    expect(stderr).not.toMatch(/PROBE_OFF_LOOPBACK|PROBE_REQUESTS/);
    expect(stderr).toMatch(/^PROBE_MAX_RSS_KB=\d+$/m);
    expect(stderr).toMatch(/^PROBE_CPU_MS=\d+$/m);
  });
});
