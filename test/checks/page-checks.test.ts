import { describe, expect, it } from 'vitest';
import { authorizationCodeIssued, frameProtection } from '../../src/checks/page-checks.js';

describe('frame-protection', () => {
  it("accepts CSP frame-ancestors 'none', 'self' or named origins, and X-Frame-Options DENY or SAMEORIGIN", () => {
    for (const headers of [
      { 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" },
      { 'Content-Security-Policy': "frame-ancestors 'self' https://app.example.com" },
      { 'x-frame-options': 'DENY' },
      { 'X-Frame-Options': 'sameorigin' },
    ]) {
      expect(frameProtection.run(headers, {})).toEqual({ ok: true });
    }
  });

  it('rejects pages any site may frame', () => {
    expect(frameProtection.run({ 'content-type': 'text/html' }, {})).toMatchObject({
      ok: false,
      message: 'sends neither a CSP frame-ancestors directive nor X-Frame-Options DENY or SAMEORIGIN',
    });
    expect(frameProtection.run({ 'x-frame-options': 'ALLOW-FROM https://a.example' }, {})).toMatchObject({
      ok: false,
    });
    for (const directive of [
      'frame-ancestors *',
      'frame-ancestors https:',
      'frame-ancestors https://*.example.com',
    ]) {
      expect(frameProtection.run({ 'content-security-policy': directive }, {})).toMatchObject({
        ok: false,
        message: 'has a frame-ancestors directive that lets any site frame the page',
      });
    }
    // a CSP without frame-ancestors falls back to X-Frame-Options
    expect(frameProtection.run({ 'content-security-policy': "default-src 'self'" }, {})).toMatchObject({
      ok: false,
    });
    expect(frameProtection.run('DENY', {})).toMatchObject({
      ok: false,
      message: 'is not a set of response headers',
    });
  });
});

describe('authorization-code-issued', () => {
  it('accepts a flow that came back with a code', () => {
    expect(authorizationCodeIssued.run({ redirected: true, code: 'c0de' }, {})).toEqual({ ok: true });
  });
  it('says which error came back, or where the flow stopped', () => {
    expect(
      authorizationCodeIssued.run(
        {
          redirected: true,
          error: 'access_denied',
          error_description: 'no',
          params: { error: 'access_denied' },
        },
        {},
      ),
    ).toMatchObject({ ok: false, message: 'redirected back with error=access_denied (no)' });
    expect(
      authorizationCodeIssued.run(
        {
          redirected: false,
          final_url: 'https://as.test/error',
          final_text: 'Error\n  invalid   redirect_uri',
          pages: [],
        },
        {},
      ),
    ).toMatchObject({
      ok: false,
      message: 'stopped at https://as.test/error without a redirect to the client',
      actual: { page_text: 'Error invalid redirect_uri' },
    });
  });
});
