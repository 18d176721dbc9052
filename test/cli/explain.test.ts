import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, loadFailureCauses } from '../../src/cli/explain-command.js';
import { UserInputError } from '../../src/errors.js';
import { loadRequirementRegistry } from '../../src/suite/requirements.js';
import { runCli } from './run-cli.js';

describe('mcp-conformance explain', () => {
  it('explains an assertion: check, location, severity per profile, requirements with links, causes, fix', async () => {
    const result = await runCli([
      'explain',
      'rfc9728-protected-resource-metadata/resource-equals-resource-identifier',
    ]);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(
      /^rfc9728-protected-resource-metadata\/resource-equals-resource-identifier \(assertion\)\n/,
    );
    expect(out).toContain('  Checks: $.resource equals "{{ discovery.resource }}"\n');
    expect(out).toMatch(/ {2}Defined at: suites\/rfc9728\/protected-resource-metadata\.suite\.yaml:\d+:9\n/);
    expect(out).toContain('  mcp-2025-03-26       info (set by the profile)\n');
    expect(out).toContain('  mcp-2025-11-25       failure\n');
    expect(out).toContain('  oauth                not run\n');
    expect(out).toContain('  RFC9728-3.3-resource-equal — MUST: ');
    expect(out).toContain('    https://www.rfc-editor.org/rfc/rfc9728#section-3.3\n');
    expect(out).toMatch(/Usual causes of failure:\n {2}- The protected resource metadata names the origin/);
    expect(out).toMatch(/\nFix:\n {2}Set "resource" to exactly the MCP server URL/);
  }, 30_000);

  it('an assertion without recorded causes says what makes it fail', async () => {
    const result = await runCli([
      'explain',
      'rfc8414-authorization-server-metadata/jwks-has-no-private-keys',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Usual causes of failure:\n {2}- The response's .+ does not satisfy "passes check/,
    );
  }, 30_000);

  it('a bare assertion id explains it in every suite that has it', async () => {
    const result = await runCli(['explain', 'served-at-path-inserted-url']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'rfc8414-authorization-server-metadata/served-at-path-inserted-url (assertion)',
    );
    expect(result.stdout).toContain(
      'rfc9728-protected-resource-metadata/served-at-path-inserted-url (assertion)',
    );
  }, 30_000);

  it('explains a requirement: text, level, spec section link, the assertions checking it', async () => {
    const result = await runCli(['explain', 'MCP-DRAFT-AS-iss']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^MCP-DRAFT-AS-iss \(requirement\)\n {2}The AS should include the RFC 9207 iss/,
    );
    expect(result.stdout).toContain('  SHOULD for the AS; ');
    expect(result.stdout).toContain(
      '  https://modelcontextprotocol.io/specification/draft/basic/authorization\n',
    );
    expect(result.stdout).toMatch(
      /Checked by:\n {2}rfc8414-authorization-server-metadata\/iss-parameter-supported +suites\//,
    );
    expect(result.stdout).toContain(
      'Fix (from rfc8414-authorization-server-metadata/iss-parameter-supported):',
    );
  }, 30_000);

  it('an unknown id gets the closest ids and exit 2, on one line', async () => {
    expect(await runCli(['explain', 'RFC9728-3.3-resource-equl'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(
        /^mcp-conformance: unknown id "RFC9728-3\.3-resource-equl"; did you mean RFC9728-3\.3-resource-equal, [^\n]+\?\n$/,
      ),
    });
    expect(await runCli(['explain'])).toMatchObject({
      code: 2,
      stderr: 'mcp-conformance: explain takes exactly one id (see "explain --help")\n',
    });
  }, 30_000);

  it('closest ranks near misses and suffix matches first', () => {
    const ids = ['a-suite/resource-present', 'a-suite/resource-equals-x', 'RFC1-2-other'];
    expect(closest('resource-presnt', ids, 2)).toEqual(['a-suite/resource-present']);
    expect(closest('zzzzzzzzzzzzzzzz', ids, 3)).toEqual([]);
  });

  it('failure causes must name known requirement ids, each with a list of sentences', () => {
    expect(loadFailureCauses(loadRequirementRegistry()).size).toBeGreaterThan(10);
    const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-causes-'));
    try {
      const path = join(work, 'causes.yaml');
      writeFileSync(
        path,
        'RFC9728-3.3-resource-equal:\n  - ok\nRFC0-made-up:\n  - x\nRFC8414-3.3-issuer-equal: text\n',
      );
      expect(() => loadFailureCauses(loadRequirementRegistry(), path)).toThrow(UserInputError);
      expect(() => loadFailureCauses(loadRequirementRegistry(), path)).toThrow(
        `${path}:3:1: unknown requirement id "RFC0-made-up"\n${path}:5:1: "RFC8414-3.3-issuer-equal" must be a list of sentences`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
