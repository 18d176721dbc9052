import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe('user mistakes: one clear message with a position, exit 2, no stack trace', () => {
  it('a malformed suite file', async () => {
    const path = file(
      'bad.suite.yaml',
      `schema: mcp-conformance/suite/v1
id: bad
title: Bad
spec: RFC9728
steps:
  - id: s
    request: { url: 'https://127.0.0.1/' }
    expect:
      - id: a
        requirements: [NOT-A-REQUIREMENT]
        severity: failure
        hint: h
        status: 200
        colour: blue
`,
    );
    const result = await runCli(['validate', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`mcp-conformance: ${path}:14:9: unknown key "colour"\n`);
  });

  it('a suite with a YAML syntax error', async () => {
    const path = file('syntax.suite.yaml', 'schema: mcp-conformance/suite/v1\nid: [x\n');
    const result = await runCli(['validate', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^mcp-conformance: ${path}:3:1: invalid YAML: `));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a malformed target file', async () => {
    const path = file(
      'target.yaml',
      `schema: mcp-conformance/target/v1
mcp:
  url: https://127.0.0.1:1/mcp
  resurce: https://127.0.0.1:1/mcp
options:
  timeout_ms: fast
`,
    );
    const result = await runCli(['run', '--target', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `mcp-conformance: ${path}:4:3: unknown key "resurce"\nmcp-conformance: ${path}:6:15: "timeout_ms" must be of type integer\n`,
    );
  });

  it('a target secret that is not in the environment', async () => {
    const path = file(
      'secret.yaml',
      `schema: mcp-conformance/target/v1
mcp: { url: 'https://127.0.0.1:1/mcp' }
clients:
  confidential:
    client_id: demo
    client_secret: \${env:MCP_CONFORMANCE_TEST_UNSET}
`,
    );
    const result = await runCli(['run', '--target', path], { env: { MCP_CONFORMANCE_TEST_UNSET: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `mcp-conformance: ${path}:6:20: environment variable MCP_CONFORMANCE_TEST_UNSET is not set\n`,
    );
  });

  it('a missing target file, an unknown flag, an unknown profile and a bad --fail-on', async () => {
    expect(await runCli(['run', '--target', join(work, 'nope.yaml')])).toMatchObject({
      code: 2,
      stderr: `mcp-conformance: ${join(work, 'nope.yaml')}: file not found\n`,
    });
    expect(await runCli(['run', '--colour'])).toMatchObject({
      code: 2,
      stderr: "mcp-conformance: Unknown option '--colour'\n",
    });
    const profile = await runCli(['run', '--profile', 'mcp-1999']);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(
      /^mcp-conformance: unknown profile "mcp-1999"; built-in profiles: mcp-2025-03-26, /,
    );
    expect(await runCli(['run', '--fail-on', 'info'])).toMatchObject({
      code: 2,
      stderr: 'mcp-conformance: --fail-on must be "failure" or "warning"\n',
    });
  });
});

describe('unreachable target', () => {
  it('reports every assertion that needed it as an error or skipped, never passed, and exits 1', async () => {
    // port 9 on loopback: nothing listens there
    const result = await runCli([
      'run',
      '--url',
      'https://127.0.0.1:9/mcp',
      '--out',
      join(work, 'unreachable'),
      '--reporter',
      'json',
    ]);
    expect(result.code).toBe(1);
    const { results } = (await import(join(work, 'unreachable', 'results.json'), { with: { type: 'json' } }))
      .default as {
      results: { outcome: string; message: string }[];
    };
    expect(results.some((r) => r.outcome === 'passed')).toBe(false);
    expect(results.some((r) => r.outcome === 'error' && /connection refused/.test(r.message))).toBe(true);
  }, 60_000);
});
