import { describe, expect, it } from 'vitest';
import { frameProtection } from '../../src/checks/page-checks.js';

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
