/**
 * The registration policy suite against real oidc-provider deployments configured that way: one with
 * dynamic registration off, one that allows only some redirect URIs. The CLI runs with a target file
 * that declares the policy, as a user's would; the policy assertions must run and pass.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  REGISTRATION_DISABLED,
  REGISTRATION_RESTRICTED,
} from '../../fixtures/faults/registration-policy-faults.js';
import { type ReferenceVariant, startReferenceTarget } from '../../fixtures/reference/index.js';
import { runCli } from '../cli/run-cli.js';
import { writeReferenceTargetFile } from './reference-target-file.js';

const SUITE = 'rfc7591-registration-policy';

interface Results {
  results: { suite: string; id: string; outcome: string; message: string }[];
}

async function runPolicySuite(variant: ReferenceVariant, work: string) {
  mkdirSync(work, { recursive: true });
  const target = await startReferenceTarget(variant);
  try {
    const file = writeReferenceTargetFile(work, target);
    const run = await runCli(
      ['run', '--target', file.path, '--suite', SUITE, '--reporter', 'json', '--out', join(work, 'report')],
      { env: file.env },
    );
    const results = JSON.parse(readFileSync(join(work, 'report', 'results.json'), 'utf8')) as Results;
    return { run, outcomes: Object.fromEntries(results.results.map((r) => [r.id, r.outcome])) };
  } finally {
    await target.stop();
  }
}

describe(`${SUITE} against oidc-provider configured with a policy`, () => {
  const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-registration-policy-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('registration disabled: no registration endpoint advertised, the attempt not applicable', {
    timeout: 60_000,
  }, async () => {
    const { run, outcomes } = await runPolicySuite(REGISTRATION_DISABLED, join(work, 'disabled'));
    expect(run.code).toBe(0);
    expect(outcomes['disabled-registration-not-advertised']).toBe('passed');
    expect(outcomes['disabled-registration-client-error']).toBe('skipped');
    expect(outcomes['outside-redirect-uri-refused']).toBe('skipped');
  });

  it('allowed redirect URIs: a redirect URI outside them is refused with invalid_redirect_uri', {
    timeout: 60_000,
  }, async () => {
    const { run, outcomes } = await runPolicySuite(REGISTRATION_RESTRICTED, join(work, 'restricted'));
    expect(run.code).toBe(0);
    expect(outcomes).toMatchObject({
      'outside-redirect-uri-refused': 'passed',
      'outside-redirect-uri-no-client': 'passed',
      'outside-redirect-uri-error-code': 'passed',
      'disabled-registration-not-advertised': 'skipped',
    });
  });

  it('no declared policy: every policy assertion is not applicable, with the reason', {
    timeout: 60_000,
  }, async () => {
    const { run, outcomes } = await runPolicySuite({}, join(work, 'open'));
    expect(run.code).toBe(0);
    expect(new Set(Object.values(outcomes))).toEqual(new Set(['skipped']));
  });
});
