import { type Check, fail, isPlainObject, pass } from './check.js';

/**
 * RFC 9700 §4.16: pages the user acts on (login, consent) must not be framed by other sites, through
 * `Content-Security-Policy: frame-ancestors` or `X-Frame-Options`. The value is a page's response headers.
 */
export const frameProtection: Check = {
  name: 'frame-protection',
  description:
    "the page refuses framing by other origins: CSP frame-ancestors 'none' or 'self' (no wildcard), or X-Frame-Options DENY or SAMEORIGIN",
  run(value) {
    if (!isPlainObject(value)) return fail('is not a set of response headers', { actual: value });
    const header = (name: string) =>
      Object.entries(value)
        .filter(([key]) => key.toLowerCase() === name)
        .map(([, v]) => String(v))
        .join(', ');
    const ancestors = header('content-security-policy')
      .split(/[;,]/)
      .map((directive) => directive.trim().split(/\s+/))
      .find(([name]) => name?.toLowerCase() === 'frame-ancestors');
    if (ancestors) {
      const sources = ancestors.slice(1);
      if (sources.length === 0)
        return fail('has an empty frame-ancestors directive', { actual: ancestors.join(' ') });
      const bounded = (source: string) =>
        source === "'none'" || source === "'self'" || /^https?:\/\/[^*\s]+$/.test(source);
      if (sources.every(bounded)) return pass;
      return fail('has a frame-ancestors directive that lets any site frame the page', {
        actual: ancestors.join(' '),
      });
    }
    const frameOptions = header('x-frame-options').trim().toUpperCase();
    if (frameOptions === 'DENY' || frameOptions === 'SAMEORIGIN') return pass;
    return fail('sends neither a CSP frame-ancestors directive nor X-Frame-Options DENY or SAMEORIGIN', {
      expected: "content-security-policy: frame-ancestors 'none' (or x-frame-options: DENY)",
      actual: {
        'content-security-policy': header('content-security-policy') || null,
        'x-frame-options': header('x-frame-options') || null,
      },
    });
  },
};

/**
 * The browser flow ended at the redirect URI with a code. The value is an `authorize` step's document;
 * when it did not, the message says where the flow stopped or which error came back, as a person
 * watching the browser would report it.
 */
export const authorizationCodeIssued: Check = {
  name: 'authorization-code-issued',
  description: 'the authorization flow ended at the redirect URI with a code',
  run(value) {
    if (!isPlainObject(value)) return fail('is not the result of an authorize step', { actual: value });
    if (typeof value.code === 'string' && value.code !== '') return pass;
    if (value.redirected === true) {
      const error = typeof value.error === 'string' ? value.error : undefined;
      return fail(
        error
          ? `redirected back with error=${error}${typeof value.error_description === 'string' ? ` (${value.error_description})` : ''}`
          : 'redirected back without a code',
        { expected: 'a code at the redirect URI', actual: value.params },
      );
    }
    const text = typeof value.final_text === 'string' ? value.final_text.replace(/\s+/g, ' ').trim() : '';
    return fail(`stopped at ${String(value.final_url)} without a redirect to the client`, {
      expected: 'a redirect to the redirect URI with a code',
      actual: { final_url: value.final_url, page_text: text.slice(0, 300), pages: value.pages },
    });
  },
};
