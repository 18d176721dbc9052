import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupContext, type RunContext } from '../../src/engine/run-context.js';
import { DEFAULT_CORS_ORIGIN, loadTargetFile } from '../../src/suite/target.js';

function contextWith(corsOrigin?: string): RunContext {
  return {
    target: {
      name: 't',
      mcp: { url: 'https://mcp.test/mcp', resource: 'https://mcp.test/mcp' },
      clients: {},
      scopes: {},
      options: {
        timeoutMs: 1000,
        maxResponseBytes: 1024,
        scopeErrorStyle: 'http-403',
        ...(corsOrigin ? { corsOrigin } : {}),
      },
      secrets: [],
    },
    discovery: { values: {}, missing: {} },
  };
}

describe('target.cors values', () => {
  it('probe with the declared origin, which is also the allowed one', () => {
    const context = contextWith('https://app.example.com');
    expect(lookupContext(context, 'target.cors.origin')).toEqual({ value: 'https://app.example.com' });
    expect(lookupContext(context, 'target.cors.allowed_origin')).toEqual({
      value: 'https://app.example.com',
    });
  });

  it('probe with the default origin when none is declared, and have no allowed origin', () => {
    const context = contextWith();
    expect(lookupContext(context, 'target.cors.origin')).toEqual({ value: DEFAULT_CORS_ORIGIN });
    expect(lookupContext(context, 'target.cors.allowed_origin')).toEqual({
      missing: 'the target declares no allowed origin (options.cors_origin)',
    });
  });

  it('read options.cors_origin from a target file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'mcp-conformance-target-'));
    const path = join(directory, 'target.yaml');
    writeFileSync(
      path,
      'schema: mcp-conformance/target/v1\nmcp:\n  url: https://mcp.test/mcp\noptions:\n  cors_origin: https://app.example.com\n',
    );
    expect(loadTargetFile(path, {}).options.corsOrigin).toBe('https://app.example.com');
  });
});
