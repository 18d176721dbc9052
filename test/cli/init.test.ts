/**
 * `init --url` against a reference target this test owns: the written target file validates and runs,
 * and `run --verbose` on it streams every exchange without any secret.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ReferenceTarget, startReferenceTarget } from '../../fixtures/reference/index.js';
import { type CliResult, runCli } from './run-cli.js';

describe('mcp-conformance init', () => {
  let reference: ReferenceTarget;
  let work: string;
  let targetFile: string;
  let init: CliResult;
  const env = () => ({
    MCP_CONFORMANCE_CLIENT_ID: reference.clients.confidential.clientId,
    MCP_CONFORMANCE_CLIENT_SECRET: reference.clients.confidential.clientSecret,
  });

  beforeAll(async () => {
    reference = await startReferenceTarget();
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-init-'));
    writeFileSync(join(work, 'ca.pem'), reference.caPem);
    targetFile = join(work, 'target.yaml');
    init = await runCli(['init', '--url', reference.mcpUrl, '--ca', 'ca.pem'], { cwd: work });
  }, 30_000);

  afterAll(async () => {
    await reference?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes a commented target file with the discovered issuer and env placeholders', () => {
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`  issuer                 ${reference.issuer}\n`);
    expect(init.stdout).toContain(
      'Wrote target.yaml. Set MCP_CONFORMANCE_CLIENT_ID and MCP_CONFORMANCE_CLIENT_SECRET',
    );
    const text = readFileSync(targetFile, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+\/config\/schemas\/target\.v1\.json\n/);
    expect(parse(text)).toEqual({
      schema: 'mcp-conformance/target/v1',
      name: new URL(reference.mcpUrl).host,
      issuer: reference.issuer,
      mcp: { url: reference.mcpUrl },
      tls: { ca_file: 'ca.pem' },
      clients: {
        confidential: {
          client_id: `\${env:MCP_CONFORMANCE_CLIENT_ID}`,
          client_secret: `\${env:MCP_CONFORMANCE_CLIENT_SECRET}`,
          auth_method: 'client_secret_basic',
        },
      },
      scopes: { base: reference.scopes.base },
      options: { timeout_ms: 10000, max_response_bytes: 1048576, scope_error_style: 'http-403' },
      expected_failures: [],
    });
    // every top-level key but schema has a comment above it
    const lines = text.split('\n');
    const uncommented = lines.filter(
      (line, i) => /^[a-z_]+:/.test(line) && !line.startsWith('schema:') && !lines[i - 1]!.startsWith('#'),
    );
    expect(uncommented).toEqual([]);
    // no secret was known to init, and none is written
    expect(text).not.toContain(reference.clients.confidential.clientSecret);
  });

  it('validate accepts it once the environment has the client, and names the variable otherwise', async () => {
    expect(await runCli(['validate', targetFile], { env: env() })).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+ files valid\n$/),
    });
    const unset = await runCli(['validate', targetFile], {
      env: { MCP_CONFORMANCE_CLIENT_ID: '', MCP_CONFORMANCE_CLIENT_SECRET: '' },
    });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(
      /^mcp-conformance: \S+target\.yaml:\d+:\d+: environment variable MCP_CONFORMANCE_CLIENT_ID is not set\n/,
    );
  }, 30_000);

  it('refuses to overwrite the file unless --force', async () => {
    const again = await runCli(['init', '--url', reference.mcpUrl, '--ca', 'ca.pem'], { cwd: work });
    expect(again).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'mcp-conformance: target.yaml already exists; use --force to overwrite it\n',
    });
    const forced = await runCli(['init', '--url', reference.mcpUrl, '--ca', 'ca.pem', '--force'], {
      cwd: work,
    });
    expect(forced.code).toBe(0);
  }, 30_000);

  it('an untrusted certificate says how to trust it', async () => {
    const result = await runCli(['init', '--url', reference.mcpUrl, '--out', join(work, 'untrusted.yaml')]);
    expect(result).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^mcp-conformance: cannot reach https:\/\/127\.0\.0\.1:\d+\/mcp: request to \S+ failed: TLS certificate [^\n]+ \(pass --ca FILE to trust a private CA\)\n$/,
      ),
    });
  }, 30_000);

  it('an unreachable URL is one line and exit 2', async () => {
    const result = await runCli([
      'init',
      '--url',
      'https://127.0.0.1:1/mcp',
      '--out',
      join(work, 'nothing.yaml'),
    ]);
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(
        /^mcp-conformance: cannot reach https:\/\/127\.0\.0\.1:1\/mcp: [^\n]+\n$/,
      ),
    });
  }, 30_000);

  it('run --verbose on the written target streams every exchange, redacted, as curl -v would', async () => {
    const out = join(work, 'report');
    const result = await runCli(
      [
        'run',
        '--target',
        targetFile,
        '--suite',
        'rfc9728-protected-resource-metadata,oauth21-token-endpoint,rfc7662-token-introspection',
        '--verbose',
        '--reporter',
        'json',
        '--out',
        out,
      ],
      { env: env() },
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      results: { outcome: string }[];
      exchanges: Record<string, { request: { method: string; url: string } }>;
    };
    expect(report.results.filter((r) => r.outcome !== 'skipped').length).toBeGreaterThan(20);
    // each recorded exchange of the suites appears in the stream, tagged with its suite
    const streamed = [...result.stderr.matchAll(/^\[([a-z0-9-]+)\] > ([A-Z]+) (\S+)$/gm)].map(
      ([, source, method, url]) => ({ source, method, url }),
    );
    const fromSuites = streamed.filter((s) => s.source !== 'discovery');
    expect(fromSuites.length).toBe(Object.keys(report.exchanges).length);
    for (const [key, exchange] of Object.entries(report.exchanges)) {
      const suite = key.split(':')[0];
      expect(fromSuites).toContainEqual({
        source: suite,
        method: exchange.request.method,
        url: exchange.request.url,
      });
    }
    expect(streamed.filter((s) => s.source === 'discovery').length).toBeGreaterThanOrEqual(3);
    // streamed while the suite runs: a suite's exchanges come before the line saying it finished
    const lines = result.stderr.split('\n');
    for (const suite of ['rfc9728-protected-resource-metadata', 'oauth21-token-endpoint']) {
      const done = lines.findIndex((line) => new RegExp(`^. ${suite} `).test(line));
      expect(done).toBeGreaterThan(0);
      expect(lines.findLastIndex((line) => line.startsWith(`[${suite}] `))).toBeLessThan(done);
    }
    expect(result.stderr).toMatch(/^\[rfc9728-protected-resource-metadata\] < 200 \(\d+ ms\)$/m);
    expect(result.stderr).toMatch(/^\[oauth21-token-endpoint\] > authorization: Basic \[redacted\]$/m);
    // secrets never: the client secret, and no access token (a JWT, or the value of "access_token")
    expect(result.stderr).not.toContain(reference.clients.confidential.clientSecret);
    expect(result.stderr).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    expect(result.stderr).toContain('"access_token":"[redacted]"');
    expect(result.stderr).not.toMatch(/"access_token":"(?!\[redacted\])/);
  }, 120_000);
});
