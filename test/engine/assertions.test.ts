import { describe, expect, it } from 'vitest';
import { evaluatePredicate, type QueryResult, runQuery } from '../../src/engine/assertions.js';
import type { ResponseView } from '../../src/engine/exchange.js';

const response: ResponseView = {
  url: 'https://h/.well-known/x',
  status: 200,
  headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="r", scope="a b"' },
  bodyText: JSON.stringify({ resource: 'https://h/mcp', list: ['a', 'b'], empty: [] }),
};
const read = (query: Parameters<typeof runQuery>[0]) =>
  runQuery(query, { response, captures: { saved: 'v' } });

describe('runQuery', () => {
  it('reads status, headers, challenge parameters, JSONPath nodes and captures', () => {
    expect(read({ kind: 'status' })).toEqual({ found: true, value: 200 });
    expect(read({ kind: 'header', name: 'Content-Type' })).toEqual({
      found: true,
      value: 'application/json',
    });
    expect(read({ kind: 'challenge', scheme: 'bearer', param: 'scope' })).toEqual({
      found: true,
      value: 'a b',
    });
    expect(read({ kind: 'json', path: '$.list[*]' })).toEqual({ found: true, nodes: ['a', 'b'] });
    expect(read({ kind: 'capture', name: 'saved' })).toEqual({ found: true, value: 'v' });
  });

  it('reads all headers as one object, names lower-cased and repeated fields joined', () => {
    const headers = { 'Content-Type': 'text/plain', vary: ['Origin', 'Accept'] };
    expect(runQuery({ kind: 'headers' }, { response: { ...response, headers }, captures: {} })).toEqual({
      found: true,
      value: { 'content-type': 'text/plain', vary: 'Origin, Accept' },
    });
  });

  it('says why a value is missing', () => {
    expect(read({ kind: 'header', name: 'location' })).toEqual({ found: false, why: 'no location header' });
    expect(read({ kind: 'challenge', scheme: 'Bearer', param: 'error' })).toEqual({
      found: false,
      why: 'the Bearer challenge has no "error" parameter',
    });
    expect(
      runQuery({ kind: 'json', path: '$' }, { response: { ...response, bodyText: '<html>' }, captures: {} }),
    ).toEqual({
      found: false,
      why: 'the response body is not JSON',
      unreadable: true,
    });
  });
});

describe('runQuery location', () => {
  const redirect = (location: string): ResponseView => ({
    url: 'https://as.test/authorize?x=1',
    status: 303,
    headers: { location },
    bodyText: '',
  });
  const location = (query: Parameters<typeof runQuery>[0], value: string) =>
    runQuery(query, { response: redirect(value), captures: {} });

  it('reads the Location as sent when absolute, resolved when relative', () => {
    expect(location({ kind: 'location' }, 'HTTPS://C.example/cb?error=x')).toEqual({
      found: true,
      value: 'HTTPS://C.example/cb?error=x',
    });
    expect(location({ kind: 'location' }, '/interaction/abc')).toEqual({
      found: true,
      value: 'https://as.test/interaction/abc',
    });
  });
  it('form-decodes one parameter of the query or of the fragment', () => {
    const url = 'https://c.example/cb?state=a%2Bb%2Fc%3D%26d+%25&error=invalid_request#access_token=t';
    expect(location({ kind: 'location', param: 'state' }, url)).toEqual({ found: true, value: 'a+b/c=&d %' });
    expect(location({ kind: 'location', param: 'access_token', in: 'fragment' }, url)).toEqual({
      found: true,
      value: 't',
    });
    expect(location({ kind: 'location', param: 'error', in: 'fragment' }, url)).toEqual({
      found: false,
      why: 'the Location fragment has no "error" parameter',
    });
    expect(location({ kind: 'location', param: 'state' }, 'https://c.example/cb?state=a&state=b')).toEqual({
      found: true,
      nodes: ['a', 'b'],
    });
  });
  it('says when there is no redirect', () => {
    expect(read({ kind: 'location', param: 'error' })).toEqual({
      found: false,
      why: 'no Location header (the response is no redirect)',
    });
    expect(evaluatePredicate({ kind: 'absent' }, read({ kind: 'location' }))).toEqual({
      ok: true,
      message: 'passed',
    });
  });
});

describe('evaluatePredicate', () => {
  const one = (value: unknown): QueryResult => ({ found: true, nodes: [value] });

  it('equals passes on equal values and reports expected and actual otherwise', () => {
    expect(evaluatePredicate({ kind: 'equals', value: 'x' }, one('x'))).toEqual({
      ok: true,
      message: 'passed',
    });
    expect(evaluatePredicate({ kind: 'equals', value: 'x' }, one('y'))).toEqual({
      ok: false,
      message: 'does not equal the expected value',
      expected: 'x',
      actual: 'y',
    });
  });

  it('fails a single-value predicate on a missing value with the reason', () => {
    expect(evaluatePredicate({ kind: 'equals', value: 1 }, { found: false, why: 'no x header' })).toEqual({
      ok: false,
      message: 'is absent (no x header)',
      expected: 1,
    });
    expect(evaluatePredicate({ kind: 'type', type: 'string' }, { found: true, nodes: [] })).toMatchObject({
      ok: false,
      message: 'is absent (the JSONPath matched nothing)',
    });
  });

  it('claims nothing, not even absence, of a body that cannot be read', () => {
    const unreadable = { found: false, why: 'the response body is not JSON', unreadable: true } as const;
    expect(evaluatePredicate({ kind: 'absent' }, unreadable)).toEqual({
      ok: false,
      message: 'cannot be read (the response body is not JSON)',
    });
    expect(evaluatePredicate({ kind: 'count', min: 0, max: 0 }, unreadable).ok).toBe(false);
    expect(evaluatePredicate({ kind: 'each', inner: { kind: 'exists' } }, unreadable).ok).toBe(false);
  });

  it('refuses a single-value predicate on several nodes', () => {
    expect(evaluatePredicate({ kind: 'exists' }, { found: true, nodes: [1, 2] })).toMatchObject({
      ok: false,
      message: 'matched 2 nodes; use each, some or count for several',
    });
  });

  it('each passes on no nodes and names the first failing item', () => {
    const inner = { kind: 'notEquals', value: 'none' } as const;
    expect(evaluatePredicate({ kind: 'each', inner }, { found: true, nodes: [] }).ok).toBe(true);
    expect(
      evaluatePredicate({ kind: 'each', inner }, { found: true, nodes: ['RS256', 'none'] }),
    ).toMatchObject({
      ok: false,
      message: 'item 1: equals a value it must not',
    });
  });

  it('some needs at least one passing item', () => {
    const inner = { kind: 'equals', value: 'b' } as const;
    expect(evaluatePredicate({ kind: 'some', inner }, { found: true, nodes: ['a', 'b'] }).ok).toBe(true);
    expect(evaluatePredicate({ kind: 'some', inner }, { found: true, nodes: ['a'] }).ok).toBe(false);
    expect(evaluatePredicate({ kind: 'some', inner }, { found: true, nodes: [] }).ok).toBe(false);
  });

  it('matches, contains, oneOf, type, count, absent and schema', () => {
    expect(evaluatePredicate({ kind: 'matches', pattern: '^https://' }, one('http://x'))).toMatchObject({
      ok: false,
    });
    expect(evaluatePredicate({ kind: 'contains', value: 'S256' }, one(['plain', 'S256'])).ok).toBe(true);
    expect(
      evaluatePredicate({ kind: 'oneOf', values: [400, 401] }, { found: true, value: 500 }),
    ).toMatchObject({
      ok: false,
      expected: { oneOf: [400, 401] },
      actual: 500,
    });
    expect(evaluatePredicate({ kind: 'type', type: 'object' }, one([]))).toMatchObject({
      ok: false,
      actual: 'array',
    });
    expect(evaluatePredicate({ kind: 'count', min: 1, max: 1 }, { found: true, nodes: [1, 2] }).ok).toBe(
      false,
    );
    expect(evaluatePredicate({ kind: 'absent' }, { found: false, why: 'x' }).ok).toBe(true);
    expect(
      evaluatePredicate({ kind: 'schema', schema: { type: 'object', required: ['issuer'] } }, one({})),
    ).toMatchObject({
      ok: false,
      message: "does not satisfy the schema: (value) must have required property 'issuer'",
    });
  });

  it('runs named checks', () => {
    expect(
      evaluatePredicate({ kind: 'check', name: 'https-url', args: {} }, one('http://h/x')),
    ).toMatchObject({
      ok: false,
      message: 'uses "http", not https',
    });
  });
});

describe('runQuery fetches', () => {
  const fetch = (url: string, status = 200) => ({
    sequence: 1,
    listener: 'document' as const,
    url,
    method: 'GET',
    headers: {},
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1,
    response: { status, headers: {}, body: '', bodyBytes: 0 },
  });
  it('lists the requests the document host received at the URL, its query ignored', () => {
    const fetches = [fetch('https://127.0.0.1:1/c.json?x=1'), fetch('https://127.0.0.1:1/d.json', 404)];
    expect(
      runQuery({ kind: 'fetches', url: 'https://127.0.0.1:1/c.json' }, { captures: {}, fetches }),
    ).toEqual({
      found: true,
      nodes: [{ method: 'GET', url: 'https://127.0.0.1:1/c.json?x=1', status: 200 }],
    });
    const none = runQuery({ kind: 'fetches', url: 'https://127.0.0.1:2/c.json' }, { captures: {}, fetches });
    expect(evaluatePredicate({ kind: 'count', min: 0, max: 0 }, none).ok).toBe(true);
  });
  it('is not found when the step ran without the document host', () => {
    expect(runQuery({ kind: 'fetches', url: 'https://127.0.0.1:1/c.json' }, { captures: {} })).toEqual({
      found: false,
      why: 'the step ran without the client document host',
    });
  });
});
