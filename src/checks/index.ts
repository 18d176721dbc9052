import * as challengeChecks from './challenge-checks.js';
import type { Check } from './check.js';
import * as corsChecks from './cors-checks.js';
import * as jwksChecks from './jwks-checks.js';
import * as jwtClaimChecks from './jwt-claim-checks.js';
import * as metadataChecks from './metadata-checks.js';
import * as oauthResponseChecks from './oauth-response-checks.js';
import * as pageChecks from './page-checks.js';
import * as registrationChecks from './registration-checks.js';
import * as urlChecks from './url-checks.js';

export type { Check, CheckResult } from './check.js';

/** A module export that is a named check (the modules also export helpers). */
function isCheck(value: unknown): value is Check {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Check).name === 'string' &&
    typeof (value as Check).run === 'function'
  );
}

const all = [
  challengeChecks,
  corsChecks,
  jwksChecks,
  jwtClaimChecks,
  metadataChecks,
  oauthResponseChecks,
  pageChecks,
  registrationChecks,
  urlChecks,
].flatMap((module) => Object.values(module).filter(isCheck));

/** Every named check a suite can call with `check: name`: each check module's exported checks. */
export const checks: ReadonlyMap<string, Check> = new Map(all.map((check) => [check.name, check]));
if (checks.size !== all.length) throw new Error('two named checks share a name');
