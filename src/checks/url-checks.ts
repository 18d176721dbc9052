import { type Check, fail, pass } from './check.js';

function parse(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * An absolute https URL without a fragment, as RFC 8414 §2 and RFC 9728 §2 require of endpoints.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export const httpsUrl: Check = {
  name: 'https-url',
  description: 'The value is an absolute https URL without a fragment.',
  run(value) {
    const url = parse(value);
    if (!url) return fail('is not an absolute URL', { actual: value });
    if (url.protocol !== 'https:')
      return fail(`uses "${url.protocol.slice(0, -1)}", not https`, { actual: value });
    if (String(value).includes('#')) return fail('has a fragment', { actual: value });
    return pass;
  },
};

/**
 * An issuer identifier: https, no query, no fragment.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export const issuerIdentifier: Check = {
  name: 'issuer-identifier',
  description: 'The value is an https URL with no query and no fragment.',
  run(value, args) {
    const asUrl = httpsUrl.run(value, args);
    if (!asUrl.ok) return asUrl;
    return String(value).includes('?') ? fail('has a query component', { actual: value }) : pass;
  },
};

/** The URL has no query component (a SHOULD NOT for resource identifiers, RFC 9728 §1.2). */
export const noQuery: Check = {
  name: 'no-query',
  description: 'The URL has no query component.',
  run(value) {
    if (typeof value !== 'string') return fail('is not a string', { actual: value });
    return value.includes('?') ? fail('has a query component', { actual: value }) : pass;
  },
};

/**
 * The MCP canonical server URI form: lowercase scheme and host, no trailing slash unless the path
 * is needed (MCP 2025-06-18 §2.5.1.1).
 */
export const canonicalServerUri: Check = {
  name: 'canonical-server-uri',
  description: 'Scheme and host are lowercase and the URI has no trailing slash.',
  run(value) {
    if (typeof value !== 'string') return fail('is not a string', { actual: value });
    const schemeAndHost = /^([^:]+):\/\/([^/?#]*)/.exec(value);
    if (!schemeAndHost) return fail('is not an absolute URL', { actual: value });
    if (schemeAndHost[1] !== schemeAndHost[1]!.toLowerCase())
      return fail('has an uppercase scheme', { actual: value });
    const host = schemeAndHost[2]!.replace(/^.*@/, '');
    if (host !== host.toLowerCase()) return fail('has an uppercase host', { actual: value });
    if (value.endsWith('/')) return fail('ends with a slash', { actual: value });
    return pass;
  },
};

/**
 * What MCP SDK clients accept even where RFC 9728 §3.3 demands equality: the same origin and a
 * `resource` path that is a prefix of the requested path. Reported separately from the strict check.
 */
export const resourceCoversUrl: Check = {
  name: 'resource-covers-url',
  description: 'The resource has the same origin as the URL and its path is a prefix of the URL path.',
  run(value, args) {
    const resource = parse(value);
    const url = parse(args.url);
    if (!resource) return fail('is not an absolute URL', { actual: value });
    if (!url) return fail('the URL to compare with is not absolute', { actual: args.url });
    if (resource.origin !== url.origin) {
      return fail('has another origin than the server URL', {
        expected: url.origin,
        actual: resource.origin,
      });
    }
    const prefix = resource.pathname.endsWith('/') ? resource.pathname : `${resource.pathname}/`;
    if (url.pathname !== resource.pathname && !`${url.pathname}/`.startsWith(prefix)) {
      return fail('path is not a prefix of the server URL path', {
        expected: url.pathname,
        actual: resource.pathname,
      });
    }
    return pass;
  },
};

/** The URL up to its query or fragment, as written (no normalization). */
function withoutQueryAndFragment(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * A redirect goes to the given redirect URI: the URL without its query and fragment is that URI
 * (compared as strings, as OAuth 2.1 compares redirect URIs), and any query parameters the redirect URI
 * itself has are kept.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-2.3
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1-13#section-4.1.2.1
 */
export const redirectUriTarget: Check = {
  name: 'redirect-uri-target',
  description:
    'The URL without its query and fragment is exactly args.uri, and keeps the query parameters args.uri has.',
  run(value, args) {
    if (typeof value !== 'string') return fail('is not a string', { actual: value });
    if (typeof args.uri !== 'string') return fail('the redirect URI to compare with is not a string');
    const expected = withoutQueryAndFragment(args.uri);
    const actual = withoutQueryAndFragment(value);
    if (actual !== expected) return fail('does not lead to the redirect URI', { expected, actual });
    const registeredQuery = /\?([^#]*)/.exec(args.uri)?.[1];
    if (registeredQuery) {
      const sent = new URLSearchParams(/\?([^#]*)/.exec(value)?.[1] ?? '');
      for (const [name, text] of new URLSearchParams(registeredQuery)) {
        if (!sent.getAll(name).includes(text)) {
          return fail(`drops the redirect URI's own query parameter "${name}"`, {
            expected: args.uri,
            actual: value,
          });
        }
      }
    }
    return pass;
  },
};
