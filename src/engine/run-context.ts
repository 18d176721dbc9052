import { DEFAULT_CORS_ORIGIN, type Target } from '../suite/target.js';
import { lookupPath } from '../suite/template.js';
import type { BrowserAvailability } from './browser/browser-session.js';
import type { Discovery } from './discovery.js';

/** What the CLI process hands every test module: plain data, serializable. */
export interface RunContext {
  target: Omit<Target, 'expectedFailures' | 'source'>;
  discovery: Pick<Discovery, 'values' | 'missing'>;
  /** the run's browser, when a selected suite drives one */
  browser?: BrowserAvailability;
}

/**
 * Every name a suite may use as `{{ target.NAME }}`. Client secrets are not among them: they reach
 * requests only through `token` steps and `client_auth`, which send them to the target's origins only.
 */
export const TARGET_NAMES = [
  'target.name',
  'target.issuer',
  'target.mcp.url',
  'target.mcp.resource',
  'target.mcp.other_resource',
  'target.clients.confidential.client_id',
  'target.clients.private_key_jwt.client_id',
  'target.clients.short_lived.client_id',
  'target.clients.public.client_id',
  'target.clients.introspection.client_id',
  'target.clients.public_not_configured',
  'target.step_up.tool',
  'target.step_up.acr_values',
  'target.step_up.max_age',
  'target.registration.enabled',
  'target.registration.disabled',
  'target.registration.allowed_redirect_uris',
  'target.registration.disallowed_redirect_uri',
  'target.scopes.base',
  'target.scopes.restricted_tool',
  'target.scopes.restricted_scope',
  'target.scope_errors.as_http_403',
  'target.scope_errors.as_jsonrpc',
  'target.consent.policy',
  'target.consent.asks',
  'target.consent.remembers',
  'target.consent.always_asks',
  'target.consent.never_asks',
  'target.consent.revocable',
  'target.clients.confidential.redirect_uri',
  'target.cors.origin',
  'target.cors.allowed_origin',
] as const;

/** A value of the run context, or the reason it is missing. */
export function lookupContext(context: RunContext, name: string): { value: unknown } | { missing: string } {
  const [namespace, ...rest] = name.split('.');
  if (namespace === 'discovery') {
    const key = rest.join('.');
    if (key in context.discovery.values) return { value: context.discovery.values[key] };
    return { missing: context.discovery.missing[key] ?? 'not discovered' };
  }
  if (namespace === 'target') {
    const view = {
      name: context.target.name,
      issuer: context.target.issuer,
      mcp: context.target.mcp,
      scopes: context.target.scopes,
      // `origin` is what cross-origin probes send (a default when the target declares none);
      // `allowed_origin` exists only when the target declares one, for probes that need its allow-list
      cors: {
        origin: context.target.options.corsOrigin ?? DEFAULT_CORS_ORIGIN,
        allowed_origin: context.target.options.corsOrigin,
      },
      // present only for the style the target declares, so steps can `needs:` one of them
      scope_errors: {
        as_http_403: context.target.options.scopeErrorStyle === 'http-403' ? true : undefined,
        as_jsonrpc: context.target.options.scopeErrorStyle === 'jsonrpc' ? true : undefined,
      },
      // each present only when the declared policy has that property, so steps can `needs:` it
      consent: context.target.consent && {
        policy: context.target.consent.policy,
        asks: context.target.consent.policy !== 'never' || undefined,
        remembers: context.target.consent.policy === 'once' || undefined,
        always_asks: context.target.consent.policy === 'always' || undefined,
        never_asks: context.target.consent.policy === 'never' || undefined,
        revocable: context.target.consent.revoke ? true : undefined,
      },
      clients: {
        confidential: context.target.clients.confidential && {
          client_id: context.target.clients.confidential.clientId,
          redirect_uri: context.target.clients.confidential.redirectUri,
        },
        private_key_jwt: context.target.clients.private_key_jwt && {
          client_id: context.target.clients.private_key_jwt.clientId,
        },
        short_lived: context.target.clients.short_lived && {
          client_id: context.target.clients.short_lived.clientId,
        },
        public: context.target.clients.public && { client_id: context.target.clients.public.clientId },
        introspection: context.target.clients.introspection && {
          client_id: context.target.clients.introspection.clientId,
        },
        // present only without a pre-registered public client: suites then register one
        public_not_configured: context.target.clients.public ? undefined : true,
      },
      registration: registrationView(context.target.registration),
      // max_age as the text a challenge carries it in
      step_up: context.target.stepUp && {
        tool: context.target.stepUp.tool,
        acr_values: context.target.stepUp.acrValues,
        max_age:
          context.target.stepUp.maxAge === undefined ? undefined : String(context.target.stepUp.maxAge),
      },
    };
    const value = lookupPath(view, rest);
    if (value !== undefined) return { value };
    return { missing: missingTargetReason(context, rest) };
  }
  return { missing: `no ${namespace} values in this run` };
}

/**
 * The registration policy as suites see it: `enabled` or `disabled` (only the one that holds, so a step
 * can `needs:` either), the allowed redirect URI patterns and a redirect URI outside all of them.
 */
function registrationView(policy: RunContext['target']['registration']) {
  const enabled = policy?.enabled ?? true;
  const patterns = policy?.allowedRedirectUris;
  return {
    enabled: enabled ? true : undefined,
    disabled: enabled ? undefined : true,
    allowed_redirect_uris: enabled ? patterns : undefined,
    disallowed_redirect_uri: enabled && patterns ? redirectUriOutside(patterns) : undefined,
  };
}

/** Candidates a registration policy is unlikely to allow; the first that no pattern matches is used. */
const OUTSIDE_REDIRECT_URIS = [
  'https://mcp-conformance-outside.example/callback',
  'https://127.0.0.1/mcp-conformance-outside-callback',
  'http://127.0.0.1:1/mcp-conformance-outside-callback',
  'com.example.mcp-conformance-outside:/callback',
];

/** Whether a redirect URI matches an allowed-redirect-URI pattern: "*" is any run of characters, the rest literal. */
export function redirectUriMatches(pattern: string, uri: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(uri);
}

function redirectUriOutside(patterns: readonly string[]): string | undefined {
  return OUTSIDE_REDIRECT_URIS.find((uri) => !patterns.some((pattern) => redirectUriMatches(pattern, uri)));
}

function missingTargetReason(context: RunContext, path: readonly string[]): string {
  const [area, name] = path;
  if (area === 'scope_errors')
    return `the target's options.scope_error_style is ${context.target.options.scopeErrorStyle}`;
  if (area === 'cors') return 'the target declares no allowed origin (options.cors_origin)';
  if (area === 'consent') {
    return context.target.consent
      ? `the target's consent.policy is ${context.target.consent.policy}${name === 'revocable' ? ' and it declares no consent.revoke' : ''}`
      : 'the target declares no consent policy (consent.policy)';
  }
  if (area === 'clients' && name === 'public_not_configured')
    return 'the target pre-registers a public client (clients.public)';
  if (area === 'step_up') {
    return context.target.stepUp
      ? `the target's step_up declares no ${name}`
      : 'the target declares no step-up requirement (step_up)';
  }
  if (area === 'registration') {
    const enabled = context.target.registration?.enabled ?? true;
    if (name === 'enabled') return 'the target declares registration disabled';
    if (name === 'disabled') return 'the target does not declare registration disabled';
    if (!enabled) return 'the target declares registration disabled';
    if (name === 'disallowed_redirect_uri' && context.target.registration?.allowedRedirectUris)
      return 'every candidate redirect URI matches an allowed pattern';
    return 'the target declares no allowed_redirect_uris';
  }
  return 'the target does not set it';
}
