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
      },
    };
    const value = lookupPath(view, rest);
    if (value !== undefined) return { value };
    if (rest[0] === 'scope_errors')
      return {
        missing: `the target's options.scope_error_style is ${context.target.options.scopeErrorStyle}`,
      };
    if (rest[0] === 'cors') return { missing: 'the target declares no allowed origin (options.cors_origin)' };
    return { missing: 'the target does not set it' };
  }
  return { missing: `no ${namespace} values in this run` };
}
