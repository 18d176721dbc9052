import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { ReferenceTargetOptions } from '../../fixtures/reference/index.js';
import { packagePath } from '../package-root.js';
import type { BrowserAction, BrowserSettings, ConsentSettings } from '../suite/browser-script.js';
import type { ExpectedFailure, Target } from '../suite/target.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS } from '../suite/target.js';
import { readYamlFile } from '../suite/yaml-file.js';

/** An embedded target starting in its own thread: `ready` once it answers; `abort` ends the thread. */
export interface StartingTarget {
  ready: Promise<{ target: Target; stop: () => Promise<void> }>;
  abort(): Promise<void>;
}

/**
 * The embedded target as `run` uses it: started in a worker thread of its own, so that the reference's
 * start-up and its answers run beside the suites' orchestration rather than between it. From sources
 * (the tests, which run TypeScript) it starts in this thread.
 */
export function startEmbeddedTargetThread(): StartingTarget {
  if (!import.meta.url.endsWith('.js')) {
    const ready = startEmbeddedTarget();
    return { ready, abort: async () => (await ready.catch(() => undefined))?.stop() };
  }
  const worker = new Worker(new URL('./embedded-target-thread.js', import.meta.url));
  const ready = (async () => {
    const [message] = (await once(worker, 'message')) as [{ target?: Target; error?: string }];
    if (!message.target) {
      await worker.terminate();
      throw new Error(`the embedded reference target did not start: ${message.error ?? 'no answer'}`);
    }
    return {
      target: message.target,
      stop: async () => {
        worker.postMessage('stop');
        await Promise.race([once(worker, 'message'), once(worker, 'exit')]).catch(() => undefined);
        await worker.terminate();
      },
    };
  })();
  return {
    ready,
    abort: async () => {
      await worker.terminate();
    },
  };
}

/**
 * The one entry point from src/ into fixtures/: starts the bundled reference target (real
 * oidc-provider + MCP SDK server on 127.0.0.1) and describes it as a target.
 */
export async function startEmbeddedTarget(
  options: ReferenceTargetOptions = {},
): Promise<{ target: Target; stop: () => Promise<void> }> {
  const { startReferenceTarget, ADMIN_TOOL_NAME, CONSENTS_PATH } = await import(
    '../../fixtures/reference/index.js'
  );
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
        confidential: {
          clientId,
          clientSecret,
          authMethod: 'client_secret_basic',
          redirectUri: reference.clients.confidential.redirectUri,
        },
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
        corsOrigin: reference.browserOrigin,
      },
      browser: { ...REFERENCE_BROWSER_SCRIPT, user: reference.user },
      consent: {
        policy: reference.consentPolicy,
        revoke: { url: `${reference.issuer}${CONSENTS_PATH}`, actions: REVOKE_ACTIONS },
      } satisfies ConsentSettings,
      cimd: reference.clientDocumentHost,
      expectedFailures: expected?.expected_failures ?? [],
      secrets: [
        reference.user.password,
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

const at = (where: string) => `embedded reference target, ${where}`;

/** The reference's login and consent pages (fixtures/reference/interactions.ts), as a target would script them. */
export const REFERENCE_BROWSER_SCRIPT: BrowserSettings = {
  pages: [
    {
      name: 'login',
      kind: 'login',
      match: { url: '/interaction/[^/]+$', visible: { role: 'heading', name: 'Sign in' } },
      actions: [
        {
          kind: 'fill',
          locator: { label: 'Username' },
          value: '{{user.username}}',
          at: at('login: username'),
        },
        {
          kind: 'fill',
          locator: { label: 'Password' },
          value: '{{user.password}}',
          at: at('login: password'),
        },
        { kind: 'click', locator: { role: 'button', name: 'Sign in' }, at: at('login: submit') },
      ],
      at: at('page login'),
    },
    {
      name: 'consent',
      kind: 'consent',
      match: { url: '/interaction/[^/]+$', visible: { role: 'heading', name: 'Authorize access' } },
      actions: [{ kind: 'click', locator: { role: 'button', name: 'Allow' }, at: at('consent: allow') }],
      deny: [{ kind: 'click', locator: { role: 'button', name: 'Deny' }, at: at('consent: deny') }],
      at: at('page consent'),
    },
  ],
};

const REVOKE_ACTIONS: BrowserAction[] = [
  { kind: 'fill', locator: { label: 'Username' }, value: '{{user.username}}', at: at('revoke: username') },
  {
    kind: 'fill',
    locator: { label: 'Application (client ID)' },
    value: '{{client.id}}',
    at: at('revoke: client'),
  },
  { kind: 'click', locator: { role: 'button', name: 'Revoke consent' }, at: at('revoke: submit') },
  { kind: 'expect', locator: { role: 'status' }, at: at('revoke: confirmation') },
];
