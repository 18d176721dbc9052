import { describe, expect, it } from 'vitest';
import {
  corsAllowsRequestHeaders,
  corsExposesHeaders,
  corsNoWildcardWithCredentials,
  corsSpecificOriginVaries,
  headerNameList,
} from '../../src/checks/cors-checks.js';

const ORIGIN = 'https://app.example';

describe('headerNameList', () => {
  it('splits, trims and lower-cases a comma-separated list', () => {
    expect(headerNameList(' WWW-Authenticate ,Mcp-Session-Id,, ')).toEqual([
      'www-authenticate',
      'mcp-session-id',
    ]);
    expect(headerNameList(undefined)).toEqual([]);
  });
});

describe('cors-exposes-headers', () => {
  const args = { headers: ['WWW-Authenticate'] };
  it('accepts the header named in any case, or "*" without credentials', () => {
    expect(corsExposesHeaders.run({ 'access-control-expose-headers': 'www-authenticate' }, args)).toEqual({
      ok: true,
    });
    expect(
      corsExposesHeaders.run({ 'access-control-expose-headers': 'X-A, WWW-AUTHENTICATE' }, args),
    ).toEqual({
      ok: true,
    });
    expect(corsExposesHeaders.run({ 'access-control-expose-headers': '*' }, args)).toEqual({ ok: true });
  });
  it('rejects a missing header list', () => {
    expect(corsExposesHeaders.run({ 'access-control-allow-origin': ORIGIN }, args)).toEqual({
      ok: false,
      message: 'has no Access-Control-Expose-Headers, so scripts cannot read "WWW-Authenticate"',
      expected: ['WWW-Authenticate'],
      actual: null,
    });
  });
  it('rejects a list without the header', () => {
    expect(corsExposesHeaders.run({ 'access-control-expose-headers': 'Mcp-Session-Id' }, args)).toEqual({
      ok: false,
      message: 'Access-Control-Expose-Headers does not expose "WWW-Authenticate"',
      expected: ['WWW-Authenticate'],
      actual: 'Mcp-Session-Id',
    });
  });
  it('rejects "*" on a response that allows credentials', () => {
    const headers = { 'access-control-expose-headers': '*', 'access-control-allow-credentials': 'true' };
    expect(corsExposesHeaders.run(headers, args)).toMatchObject({
      ok: false,
      message:
        'Access-Control-Expose-Headers does not expose "WWW-Authenticate" ("*" is literal on a response that allows credentials)',
    });
  });
  it('with only_if_sent, asks only for the named headers the response carries', () => {
    const only = { headers: ['Mcp-Session-Id', 'MCP-Protocol-Version'], only_if_sent: true };
    expect(corsExposesHeaders.run({ 'content-type': 'application/json' }, only)).toEqual({ ok: true });
    expect(
      corsExposesHeaders.run({ 'mcp-session-id': 's1', 'access-control-expose-headers': 'x' }, only),
    ).toEqual({
      ok: false,
      message: 'Access-Control-Expose-Headers does not expose "Mcp-Session-Id"',
      expected: ['Mcp-Session-Id'],
      actual: 'x',
    });
  });
  it('rejects a value that is not a set of headers', () => {
    expect(corsExposesHeaders.run('WWW-Authenticate', args)).toMatchObject({
      ok: false,
      message: 'is not a set of response headers',
    });
  });
});

describe('cors-allows-request-headers', () => {
  const args = { headers: ['authorization', 'content-type', 'mcp-protocol-version'] };
  it('accepts every header listed, in any case', () => {
    const headers = { 'access-control-allow-headers': 'Authorization, Content-Type, MCP-Protocol-Version' };
    expect(corsAllowsRequestHeaders.run(headers, args)).toEqual({ ok: true });
  });
  it('accepts "*" for everything but Authorization, without credentials', () => {
    expect(
      corsAllowsRequestHeaders.run({ 'access-control-allow-headers': '*, authorization' }, args),
    ).toEqual({ ok: true });
    expect(corsAllowsRequestHeaders.run({ 'access-control-allow-headers': '*' }, args)).toEqual({
      ok: false,
      message: 'Access-Control-Allow-Headers does not allow "authorization"',
      expected: args.headers,
      actual: '*',
    });
  });
  it('rejects "*" as a wildcard on a response that allows credentials', () => {
    const headers = {
      'access-control-allow-headers': '*, authorization',
      'access-control-allow-credentials': 'true',
    };
    expect(corsAllowsRequestHeaders.run(headers, args)).toMatchObject({
      ok: false,
      message: 'Access-Control-Allow-Headers does not allow "content-type", "mcp-protocol-version"',
    });
  });
  it('rejects a preflight answer without the header', () => {
    expect(corsAllowsRequestHeaders.run({}, { headers: ['content-type'] })).toEqual({
      ok: false,
      message: 'has no Access-Control-Allow-Headers, so browsers refuse to send "content-type"',
      expected: ['content-type'],
      actual: null,
    });
  });
});

describe('cors-no-wildcard-with-credentials', () => {
  it('accepts "*" without credentials, and a named origin with credentials', () => {
    expect(corsNoWildcardWithCredentials.run({ 'access-control-allow-origin': '*' }, {})).toEqual({
      ok: true,
    });
    expect(
      corsNoWildcardWithCredentials.run(
        { 'access-control-allow-origin': ORIGIN, 'access-control-allow-credentials': 'true' },
        {},
      ),
    ).toEqual({ ok: true });
    expect(corsNoWildcardWithCredentials.run({}, {})).toEqual({ ok: true });
  });
  it('rejects "*" with credentials', () => {
    expect(
      corsNoWildcardWithCredentials.run(
        { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' },
        {},
      ),
    ).toEqual({
      ok: false,
      message: 'pairs Access-Control-Allow-Origin "*" with Access-Control-Allow-Credentials "true"',
      expected: 'a specific origin when credentials are allowed',
      actual: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' },
    });
  });
});

describe('cors-specific-origin-varies', () => {
  it('accepts a named origin with Vary: Origin (in any case, among others), "*", or no CORS at all', () => {
    expect(
      corsSpecificOriginVaries.run(
        { 'access-control-allow-origin': ORIGIN, vary: 'Accept-Encoding, origin' },
        {},
      ),
    ).toEqual({ ok: true });
    expect(corsSpecificOriginVaries.run({ 'access-control-allow-origin': '*' }, {})).toEqual({ ok: true });
    expect(corsSpecificOriginVaries.run({ vary: 'Accept' }, {})).toEqual({ ok: true });
  });
  it('rejects a named origin without Vary: Origin', () => {
    expect(
      corsSpecificOriginVaries.run({ 'access-control-allow-origin': ORIGIN, vary: 'Accept-Encoding' }, {}),
    ).toEqual({
      ok: false,
      message: `names the origin "${ORIGIN}" without Vary: Origin`,
      expected: 'Vary: Origin',
      actual: 'Accept-Encoding',
    });
  });
});
