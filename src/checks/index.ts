import {
  bearerChallengeWithParams,
  challengeAttributeSyntax,
  challengeNoDuplicateAttributes,
  challengeWellFormed,
  scopeTokens,
} from './challenge-checks.js';
import type { Check } from './check.js';
import { jwkSet, jwksNoPrivateKeys, jwksUseWhenMixed } from './jwks-checks.js';
import {
  accessTokenTyp,
  asymmetricAlg,
  audienceExcludes,
  audienceIncludes,
  doesNotContain,
  expiredNow,
  expiresAfterIssued,
  kidInJwks,
  numericDate,
} from './jwt-claim-checks.js';
import { jwtAuthSigningAlgs, mediaType, noEmptyArrays, nonEmptyStringArray } from './metadata-checks.js';
import { errorCodeWhenError, introspectionMemberTypes, oauthErrorResponse } from './oauth-response-checks.js';
import {
  cacheControlNoStore,
  clientSecretExpiry,
  clientSecretForAuthMethod,
  grantResponseTypesConsistent,
  registrationManagementFields,
} from './registration-checks.js';
import { canonicalServerUri, httpsUrl, issuerIdentifier, noQuery, resourceCoversUrl } from './url-checks.js';

export type { Check, CheckResult } from './check.js';

/** Every named check a suite can call with `check: name`. */
export const checks: ReadonlyMap<string, Check> = new Map(
  [
    bearerChallengeWithParams,
    challengeAttributeSyntax,
    challengeNoDuplicateAttributes,
    challengeWellFormed,
    scopeTokens,
    accessTokenTyp,
    asymmetricAlg,
    audienceExcludes,
    audienceIncludes,
    doesNotContain,
    expiredNow,
    expiresAfterIssued,
    kidInJwks,
    numericDate,
    jwkSet,
    jwksNoPrivateKeys,
    jwksUseWhenMixed,
    jwtAuthSigningAlgs,
    mediaType,
    noEmptyArrays,
    nonEmptyStringArray,
    canonicalServerUri,
    httpsUrl,
    issuerIdentifier,
    noQuery,
    resourceCoversUrl,
    cacheControlNoStore,
    clientSecretExpiry,
    clientSecretForAuthMethod,
    grantResponseTypesConsistent,
    registrationManagementFields,
    errorCodeWhenError,
    introspectionMemberTypes,
    oauthErrorResponse,
  ].map((check) => [check.name, check]),
);
