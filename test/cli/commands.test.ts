import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { binPath, runCli } from './run-cli.js';

describe('list, coverage, validate', () => {
  it('list shows every assertion of the default profile with severity and requirements', async () => {
    const result = await runCli(['list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Profile mcp-2025-11-25: /);
    expect(result.stdout).toMatch(
      /rfc9728-protected-resource-metadata\/resource-equals-resource-identifier\s+failure\s+RFC9728-3\.3-resource-equal/,
    );
    expect(result.stdout).toMatch(/\n\d+ suites, \d+ assertions\n$/);
  });

  it('list --profiles names the built-in profiles', async () => {
    const result = await runCli(['list', '--profiles']);
    expect(
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['mcp-2025-03-26', 'mcp-2025-06-18', 'mcp-2025-11-25', 'mcp-draft', 'oauth']);
  });

  it('coverage prints covered and uncovered requirement ids per spec', async () => {
    const result = await runCli(['coverage', '--spec', 'RFC9728']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^RFC9728\s+16\/16\s+covered\n/);
    expect(result.stdout).toContain('  + RFC9728-3.3-resource-equal');
    const all = await runCli(['coverage']);
    expect(all.stdout).toMatch(/ {2}- RFC7662-/);
    expect(all.stdout).toMatch(/\n\d+ of 256 requirements covered\n$/);
  });

  it('validate accepts the bundled files', async () => {
    expect(await runCli(['validate'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+ files valid\n$/),
    });
  });
});

describe('run selection', () => {
  it('--suite and --grep narrow the run', async () => {
    const result = await runCli([
      'run',
      '--suite',
      'rfc6750-bearer-challenge',
      '--grep',
      'refused$',
      '--reporter',
      'console',
      '--out',
      '/tmp/mcp-conformance-grep',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('running 1 suites');
    expect(result.stdout).toMatch(/\n4 assertions, 4 executed: 4 passed in /);
  }, 60_000);

  it('an unknown suite is a usage error', async () => {
    expect(await runCli(['run', '--suite', 'nope'])).toMatchObject({
      code: 2,
      stderr: 'mcp-conformance: --suite: unknown suite "nope"\n',
    });
  });
});

describe('Ctrl-C', () => {
  it('stops the embedded reference target and exits 130', async () => {
    const child = spawn(process.execPath, [binPath, 'run', '--out', '/tmp/mcp-conformance-sigint'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const discovered = new Promise<string>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /discovering https:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
        if (match) resolve(match[1]!);
      });
    });
    const port = Number(await discovered);
    child.kill('SIGINT');
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  }, 60_000);
});
