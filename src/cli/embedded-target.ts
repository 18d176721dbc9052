import type { ReferenceTargetOptions } from '../../fixtures/reference/index.js';
import { packagePath } from '../package-root.js';
import type { ExpectedFailure, Target } from '../suite/target.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS } from '../suite/target.js';
import { readYamlFile } from '../suite/yaml-file.js';

/**
 * The one entry point from src/ into fixtures/: starts the bundled reference target (real
 * oidc-provider + MCP SDK server on 127.0.0.1) and describes it as a target.
 */
export async function startEmbeddedTarget(
  options: ReferenceTargetOptions = {},
): Promise<{ target: Target; stop: () => Promise<void> }> {
  const { startReferenceTarget, ADMIN_TOOL_NAME } = await import('../../fixtures/reference/index.js');
  const reference = await startReferenceTarget(options);
  const expected = readYamlFile(
    packagePath('fixtures', 'reference', 'expected-failures.yaml'),
    'fixtures/reference/expected-failures.yaml',
  ).value as { expected_failures?: ExpectedFailure[] } | null;
  const { clientId, clientSecret } = reference.clients.confidential;
  const jwtClient = reference.clients.privateKeyJwt;
  const privateKey = JSON.stringify(jwtClient.privateJwk);
  return {
    target: {
      name: 'reference target (embedded: oidc-provider + MCP SDK)',
      issuer: reference.issuer,
      mcp: { url: reference.mcpUrl, resource: reference.resource, other_resource: reference.secondResource },
      caPem: reference.caPem,
      clients: {
        confidential: { clientId, clientSecret, authMethod: 'client_secret_basic' },
        private_key_jwt: { clientId: jwtClient.clientId, privateKey, authMethod: 'private_key_jwt' },
        short_lived: { ...reference.clients.shortLived, authMethod: 'client_secret_basic' },
        public: { clientId: reference.clients.public.clientId, authMethod: 'none' },
        introspection: { ...reference.clients.introspection, authMethod: 'client_secret_basic' },
      },
      stepUp: {
        tool: reference.stepUp.tool,
        acrValues: reference.stepUp.acrValues.join(' '),
        maxAge: reference.stepUp.maxAge,
      },
      ...(reference.registration
        ? {
            registration: {
              enabled: reference.registration.enabled,
              ...(reference.registration.allowedRedirectUris
                ? { allowedRedirectUris: [...reference.registration.allowedRedirectUris] }
                : {}),
            },
          }
        : {}),
      scopes: {
        base: reference.scopes.base,
        restricted_tool: ADMIN_TOOL_NAME,
        restricted_scope: reference.scopes.extra,
      },
      options: {
        timeoutMs: DEFAULT_TIMEOUT_MS,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        scopeErrorStyle: 'http-403',
      },
      expectedFailures: expected?.expected_failures ?? [],
      secrets: [
        clientSecret,
        privateKey,
        String(jwtClient.privateJwk.d),
        reference.clients.shortLived.clientSecret,
        reference.clients.introspection.clientSecret,
      ],
      source: 'embedded reference target',
    },
    stop: () => reference.stop(),
  };
}
