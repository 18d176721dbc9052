/**
 * The draft and oauth profiles, `list --profile`, and an authorization server tested alone (a target
 * without an mcp section) against the reference's oidc-provider.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceTarget, startReferenceTarget } from '../../fixtures/reference/index.js';
import { runCli } from './run-cli.js';

describe('list --profile', () => {
  it('oauth: only authorization-server suites, and the target needs no mcp section', async () => {
    const result = await runCli(['list', '--profile', 'oauth']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Target: an authorization server (issuer); the mcp section is optional\n',
    );
    const suites = [...result.stdout.matchAll(/^([a-z0-9-]+) — /gm)].map((m) => m[1]);
    expect(suites).toEqual([
      'rfc8414-authorization-server-metadata',
      'oidc-discovery',
      'rfc7591-dynamic-client-registration',
      'oauth21-token-endpoint',
      'rfc7662-token-introspection',
      'rfc7009-token-revocation',
      'rfc8707-resource-indicators',
      'rfc9068-jwt-access-tokens',
    ]);
    expect(result.stdout).toMatch(/\n8 suites, \d+ assertions\n$/);
  }, 30_000);

  it('mcp-draft: the iss parameter is a warning, the MCP expectation on registration information only', async () => {
    const result = await runCli(['list', '--profile', 'mcp-draft']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /rfc8414-authorization-server-metadata\/iss-parameter-supported\s+warning\*\s+MCP-DRAFT-AS-iss/,
    );
    expect(result.stdout).toMatch(
      /rfc7591-dynamic-client-registration\/public-auth-method-kept\s+info\*\s+MCP-2025-03-26-AS-dcr/,
    );
    expect(result.stdout).toMatch(
      /rfc9728-protected-resource-metadata\/scopes-exclude-offline-access\s+warning\*\s+MCP-DRAFT-RS-no-offline-access/,
    );
    expect(result.stdout).toContain('* severity set by the profile (5 assertions)');
    // under the default profile the same assertion keeps the suite's severity, unmarked
    const defaults = await runCli(['list']);
    expect(defaults.stdout).toMatch(
      /rfc8414-authorization-server-metadata\/iss-parameter-supported\s+info\s+MCP-DRAFT-AS-iss/,
    );
  }, 30_000);
});

describe('an authorization server alone', () => {
  let reference: ReferenceTarget;
  let work: string;
  let targetFile: string;
  const env = () => ({ REF_SECRET: reference.clients.confidential.clientSecret });

  beforeAll(async () => {
    reference = await startReferenceTarget();
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-oauth-'));
    writeFileSync(join(work, 'ca.pem'), reference.caPem);
    targetFile = join(work, 'iam.yaml');
    writeFileSync(
      targetFile,
      `schema: mcp-conformance/target/v1
issuer: ${reference.issuer}
tls:
  ca_file: ca.pem
clients:
  confidential:
    client_id: ${reference.clients.confidential.clientId}
    client_secret: \${env:REF_SECRET}
`,
    );
  });

  afterAll(async () => {
    await reference?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs under the oauth profile with no mcp section', async () => {
    const out = join(work, 'report');
    const result = await runCli(
      ['run', '--target', targetFile, '--profile', 'oauth', '--reporter', 'json', '--out', out],
      { env: env() },
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      profile: string;
      results: { suite: string; outcome: string; message: string }[];
    };
    expect(report.profile).toBe('oauth');
    expect(new Set(report.results.map((r) => r.suite)).has('rfc9728-protected-resource-metadata')).toBe(
      false,
    );
    const executed = report.results.filter((r) => r.outcome !== 'skipped');
    expect(executed.length).toBeGreaterThanOrEqual(60);
    expect(executed.filter((r) => r.suite === 'oauth21-token-endpoint').length).toBeGreaterThan(0);
    // the audience suites need a resource, which only an mcp section gives: skipped, saying so
    const audience = report.results.filter((r) => r.suite === 'rfc8707-resource-indicators');
    expect(audience.length).toBeGreaterThan(0);
    expect(audience.every((r) => r.outcome === 'skipped' && r.message.includes('discovery.resource'))).toBe(
      true,
    );
  }, 120_000);

  it('an MCP profile refuses a target without an mcp section, on one line', async () => {
    const result = await runCli(['run', '--target', targetFile, '--out', join(work, 'refused')], {
      env: env(),
    });
    expect(result).toMatchObject({
      code: 2,
      stderr: `mcp-conformance: ${targetFile}: profile "mcp-2025-11-25" tests an MCP server, but the target has no "mcp" section; add mcp.url, or use --profile oauth for an authorization server alone\n`,
    });
  }, 30_000);
});
