/**
 * The suite under attack: every hostile behaviour of fixtures/hostile is pointed at the engine —
 * at the HttpClient with small limits, and for a few representative ones at a whole CLI run — and
 * each test asserts the exact verdict, that the engine goes on afterwards, that it stays within its
 * deadline and, for the bodies that never end, that memory stays bounded.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  deeplyNestedJson,
  GZIP_BOMB_INFLATED_BYTES,
  gzipBombBytes,
  HOSTILE_CHALLENGES,
  HOSTILE_LIMITS,
  type HostileCaseName,
  hostileCases,
  metadataPointingElsewhere,
  redirectTo,
} from '../../fixtures/hostile/cases.js';
import {
  type HostileBehaviour,
  type HostileServer,
  startHostileServer,
} from '../../fixtures/hostile/index.js';
import { challengeWellFormed } from '../../src/checks/challenge-checks.js';
import { describeQuery, evaluatePredicate, runQuery } from '../../src/engine/assertions.js';
import type { ResponseView } from '../../src/engine/exchange.js';
import { HttpClient, headerText, type SendResult } from '../../src/engine/http-client.js';
import { Redactor } from '../../src/engine/redact.js';
import { MAX_JSON_DEPTH, responseJson } from '../../src/engine/response-json.js';
import { findChallenge, paramValues, parseWwwAuthenticate } from '../../src/engine/www-authenticate.js';
import type { RunReport } from '../../src/runner/run-report.js';
import type { Predicate, Query } from '../../src/suite/model.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/suite/target.js';
import { type CliResult, runCli } from '../cli/run-cli.js';

const { timeoutMs, maxBytes } = HOSTILE_LIMITS;
const MB = 1024 * 1024;
/** a generous bound on one request: its deadline plus scheduling slack on a busy machine */
const ONE_REQUEST_BOUND_MS = timeoutMs + 1000;
const MEMORY_BOUND_MB = 100;
const TOO_LARGE = `response body exceeds the ${maxBytes}-byte limit`;
const STACK_TRACE = /\n\s+at /;

/** every case name a test pointed the engine at; the last test checks none was forgotten */
const exercised = new Set<string>();
/** timings and memory, printed with HOSTILE_REPORT=1 */
const measurements: { name: string; elapsedMs: number; peakRssDeltaMb?: number }[] = [];

const running: HostileServer[] = [];
const clients: HttpClient[] = [];
let healthy: HostileServer;

async function serve(behaviour: HostileBehaviour): Promise<HostileServer> {
  const server = await startHostileServer(behaviour);
  running.push(server);
  return server;
}

function newClient(options: { ca?: string } = {}): HttpClient {
  const client = new HttpClient({ timeoutMs, maxBytes, redactor: new Redactor(), ...options });
  clients.push(client);
  return client;
}

interface Hit {
  server: HostileServer;
  client: HttpClient;
  url: string;
  result: SendResult;
  elapsedMs: number;
  peakRssDeltaMb: number;
}

/**
 * Sends one request to a fresh server showing `name`'s behaviour (or `options.behaviour`), timing it
 * and sampling the process's resident memory while it runs; then proves the client still works.
 */
async function hit(
  name: string,
  options: {
    behaviour?: HostileBehaviour;
    path?: string;
    followRedirects?: boolean;
    /** trust the TLS server's CA */
    trustCa?: boolean;
  } = {},
): Promise<Hit> {
  exercised.add(name);
  const server = await serve(options.behaviour ?? hostileCases[name as HostileCaseName]);
  const client = newClient(options.trustCa && server.caPem ? { ca: server.caPem } : {});
  const url = new URL(options.path ?? '/hostile', server.url).href;
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  let result: SendResult;
  try {
    result = await client.send({
      method: 'GET',
      url,
      headers: { accept: 'application/json' },
      ...(options.followRedirects ? { followRedirects: true } : {}),
    });
  } finally {
    clearInterval(sampler);
  }
  const elapsedMs = performance.now() - started;
  peak = Math.max(peak, process.memoryUsage.rss());
  const peakRssDeltaMb = (peak - before) / MB;
  measurements.push({ name, elapsedMs: Math.round(elapsedMs), peakRssDeltaMb: Math.round(peakRssDeltaMb) });

  expect(elapsedMs).toBeLessThan(ONE_REQUEST_BOUND_MS);
  expect(result.exchange.durationMs).toBeLessThan(ONE_REQUEST_BOUND_MS);
  // the engine goes on: the same client (and its connection pool) still answers the next step
  const next = await client.send({ method: 'GET', url: healthy.url, headers: {} });
  expect(next.response?.status).toBe(200);
  return { server, client, url, result, elapsedMs, peakRssDeltaMb };
}

/** The verdict an assertion would report: `query` + predicate message, as SuiteExecution words it. */
function verdictOf(query: Query, predicate: Predicate, response: ResponseView | undefined): string {
  const result = evaluatePredicate(
    predicate,
    runQuery(query, { ...(response ? { response } : {}), captures: {} }),
  );
  return result.ok ? 'passed' : `${describeQuery(query)} ${result.message}`;
}

/**
 * Parses a field value and measures how long it took: the best of three, so that a busy machine
 * (the whole runs of this file run alongside) does not pass for a slow parser. A parser that throws
 * fails the test here.
 */
function timedParse(fieldValue: string) {
  let elapsedMs = Number.POSITIVE_INFINITY;
  let parsed = parseWwwAuthenticate(fieldValue);
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    parsed = parseWwwAuthenticate(fieldValue);
    elapsedMs = Math.min(elapsedMs, performance.now() - started);
  }
  return { parsed, elapsedMs };
}

beforeAll(async () => {
  healthy = await startHostileServer({
    description: 'a well-behaved server',
    respond: (connection) => connection.json(200, { ok: true }),
  });
  // the bomb is built once, before any memory is measured
  gzipBombBytes();
  startWholeRuns();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

afterAll(async () => {
  await healthy?.stop();
  if (process.env.HOSTILE_REPORT) console.table(measurements);
});

describe('bodies too large: ERR_RESPONSE_TOO_LARGE, memory bounded', () => {
  it.each([
    'hundred-megabyte-body',
    'endless-chunked-body',
    'endless-body-until-close',
    'json-string-one-byte-over-the-cap',
    'json-string-of-50-megabytes',
  ] as const)('%s', async (name) => {
    const { result, peakRssDeltaMb } = await hit(name);
    expect(result.response).toBeUndefined();
    expect(result.error?.code).toBe('ERR_RESPONSE_TOO_LARGE');
    expect(result.exchange.error).toEqual({ code: 'ERR_RESPONSE_TOO_LARGE', message: TOO_LARGE });
    expect(peakRssDeltaMb).toBeLessThan(MEMORY_BOUND_MB);
  });

  it('json-string-at-the-cap: a body of exactly the cap is read whole, and recorded truncated', async () => {
    const { result } = await hit('json-string-at-the-cap');
    expect(result.error).toBeUndefined();
    expect(result.response?.bodyText.length).toBe(maxBytes);
    expect(result.exchange.response).toMatchObject({ status: 200, bodyBytes: maxBytes, bodyTruncated: true });
    expect(result.exchange.response?.body.length).toBe(64 * 1024);
    const document = responseJson(result.response!);
    expect(document.ok && (document.value as { padding: string }).padding.length).toBe(maxBytes - 14);
  });

  it('gzip-bomb: the compressed bytes are read raw, never inflated', async () => {
    const { server, result, peakRssDeltaMb } = await hit('gzip-bomb');
    // the engine never asks for compression, and so never decompresses
    expect(server.received[0]!.headers['accept-encoding']).toBeUndefined();
    expect(result.response?.headers['content-encoding']).toBe('gzip');
    expect(result.exchange.response?.bodyBytes).toBe(gzipBombBytes().byteLength);
    expect(gzipBombBytes().byteLength).toBeLessThan(maxBytes);
    expect(GZIP_BOMB_INFLATED_BYTES / gzipBombBytes().byteLength).toBeGreaterThan(500);
    expect(verdictOf({ kind: 'json', path: '$.issuer' }, { kind: 'exists' }, result.response)).toBe(
      '$.issuer cannot be read (the response body is not JSON)',
    );
    expect(peakRssDeltaMb).toBeLessThan(MEMORY_BOUND_MB);
  });

  it.each(['huge-header', 'ten-thousand-headers'] as const)(
    '%s: "response headers too large"',
    async (name) => {
      const { url, result } = await hit(name);
      expect(result.error?.code).toBe('ERR_EVALUATION');
      expect(result.error?.message).toBe(`request to ${url} failed: response headers too large`);
    },
  );
});

describe('answers too slow: ERR_REQUEST_TIMEOUT at the deadline', () => {
  it.each([
    'never-answers',
    'headers-then-stall',
    'one-byte-per-second',
    'slow-status-line',
    'endless-informational-responses',
    'endless-event-stream',
  ] as const)('%s', async (name) => {
    const { url, result, elapsedMs } = await hit(name);
    expect(result.error?.code).toBe('ERR_REQUEST_TIMEOUT');
    expect(result.exchange.error).toEqual({
      code: 'ERR_REQUEST_TIMEOUT',
      message: `no complete response from ${url} within ${timeoutMs} ms`,
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 50);
  });
});

describe('broken HTTP: a precise transport verdict', () => {
  it.each([
    ['invalid-status-line', 'Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)'],
    ['two-digit-status', 'Response does not match the HTTP/1.1 protocol (Invalid status code)'],
    ['closes-before-answering', 'connection closed by the server'],
    [
      'http10-close-mid-body',
      'Response body length does not match content-length header (UND_ERR_RES_CONTENT_LENGTH_MISMATCH)',
    ],
    ['reset-mid-body', 'connection reset'],
    [
      'no-content-with-body',
      'Response body length does not match content-length header (UND_ERR_RES_CONTENT_LENGTH_MISMATCH)',
    ],
    [
      'length-and-chunked',
      'Response body length does not match content-length header (UND_ERR_RES_CONTENT_LENGTH_MISMATCH)',
    ],
    ['invalid-chunk-size', 'Response does not match the HTTP/1.1 protocol (Invalid character in chunk size)'],
    ['nul-in-header', 'Response does not match the HTTP/1.1 protocol (Invalid header value char)'],
    ['switching-protocols-unasked', 'the server switched protocols (101) though no upgrade was asked for'],
    ['untrusted-tls-certificate', 'TLS certificate chain is not trusted'],
  ] as const)('%s', async (name, reason) => {
    const { url, result } = await hit(name);
    expect(result.response).toBeUndefined();
    expect(result.exchange.error).toEqual({
      code: 'ERR_EVALUATION',
      message: `request to ${url} failed: ${reason}`,
    });
  });

  it('untrusted-tls-certificate: trusting its CA explicitly gets past the handshake', async () => {
    const { result } = await hit('untrusted-tls-certificate', { trustCa: true });
    expect(result.response?.status).toBe(200);
  });
});

describe('bodies that are not what they claim: the assertion verdict says so', () => {
  const issuer: Query = { kind: 'json', path: '$.issuer' };
  const whole: Query = { kind: 'json', path: '$' };
  const contentType: Query = { kind: 'header', name: 'content-type' };
  const isObject: Predicate = { kind: 'type', type: 'object' };
  const exists: Predicate = { kind: 'exists' };

  const rows: { name: HostileCaseName; query: Query; predicate: Predicate; verdict: string }[] = [
    {
      name: 'malformed-json',
      query: issuer,
      predicate: exists,
      verdict: '$.issuer cannot be read (the response body is not JSON)',
    },
    { name: 'json-array', query: whole, predicate: isObject, verdict: '$ is of type array, not object' },
    {
      name: 'json-array',
      query: issuer,
      predicate: exists,
      verdict: '$.issuer is absent (the JSONPath matched nothing)',
    },
    { name: 'json-string', query: whole, predicate: isObject, verdict: '$ is of type string, not object' },
    { name: 'json-number', query: whole, predicate: isObject, verdict: '$ is of type integer, not object' },
    { name: 'json-null', query: whole, predicate: isObject, verdict: '$ is of type null, not object' },
    {
      name: 'html-with-json-inside',
      query: contentType,
      predicate: { kind: 'matches', pattern: '^application/json' },
      verdict: 'header "content-type" does not match /^application/json/',
    },
    {
      name: 'html-with-json-inside',
      query: issuer,
      predicate: { kind: 'equals', value: 'https://127.0.0.1' },
      verdict: 'passed',
    },
    {
      name: 'no-content-type',
      query: contentType,
      predicate: exists,
      verdict: 'header "content-type" is absent (no content-type header)',
    },
    {
      name: 'server-error-html',
      query: { kind: 'status' },
      predicate: { kind: 'equals', value: 200 },
      verdict: 'status does not equal the expected value',
    },
    {
      name: 'server-error-html',
      query: issuer,
      predicate: exists,
      verdict: '$.issuer cannot be read (the response body is not JSON)',
    },
    {
      name: 'event-stream-without-json',
      query: issuer,
      predicate: exists,
      verdict: '$.issuer cannot be read (the event stream holds no JSON event)',
    },
    {
      name: 'deeply-nested-json',
      query: whole,
      predicate: isObject,
      verdict: `$ cannot be read (the response body nests JSON deeper than ${MAX_JSON_DEPTH} levels)`,
    },
    {
      name: 'deeply-nested-event-stream',
      query: whole,
      predicate: isObject,
      verdict: `$ cannot be read (the event stream's JSON nests deeper than ${MAX_JSON_DEPTH} levels)`,
    },
    {
      name: 'invalid-utf8-json',
      query: issuer,
      predicate: { kind: 'matches', pattern: '^https://' },
      verdict: '$.issuer does not match /^https:///',
    },
  ];
  it.each(rows)('$name: $verdict', async ({ name, query, predicate, verdict }) => {
    const { result } = await hit(name);
    expect(result.error).toBeUndefined();
    expect(verdictOf(query, predicate, result.response)).toBe(verdict);
  });

  it('deeply-nested-json: 100,000 levels never reach recursive code, so the verdict can be reported', async () => {
    const { result } = await hit('deeply-nested-json');
    expect(result.exchange.response?.bodyBytes).toBe(deeplyNestedJson(100_000).length);
    const started = performance.now();
    const document = responseJson(result.response!);
    expect(performance.now() - started).toBeLessThan(50);
    expect(document).toEqual({
      ok: false,
      why: `the response body nests JSON deeper than ${MAX_JSON_DEPTH} levels`,
    });
    // what a verdict carries must survive serialization between threads and into results.json
    const outcome = evaluatePredicate(
      { kind: 'some', inner: { kind: 'equals', value: 1 } },
      runQuery({ kind: 'json', path: '$[*]' }, { response: result.response!, captures: {} }),
    );
    expect(() => JSON.stringify(structuredClone(outcome))).not.toThrow();
    // a document at the limit is still read
    const atLimit = { ...result.response!, bodyText: deeplyNestedJson(MAX_JSON_DEPTH) };
    expect(responseJson(atLimit).ok).toBe(true);
  });
});

describe('redirects: followed only within the origin, and only so far', () => {
  it('redirect-loop: stops after 5 hops and reports the last 302', async () => {
    const { server, url, result } = await hit('redirect-loop', { followRedirects: true });
    expect(result.response?.status).toBe(302);
    expect(result.exchange.redirects).toEqual(Array(5).fill(url));
    expect(server.received).toHaveLength(6);
  });

  it('redirect-loop: not followed at all unless the step asks', async () => {
    const { server, result } = await hit('redirect-loop');
    expect(result.response?.status).toBe(302);
    expect(server.received).toHaveLength(1);
  });

  it('redirect-to-other-origin: a second hostile server is never contacted', async () => {
    const elsewhere = await serve(hostileCases['never-answers']);
    const { url, result } = await hit('redirect-to-other-origin', {
      behaviour: redirectTo(`${elsewhere.url}landing`),
      followRedirects: true,
    });
    expect(result.response?.status).toBe(302);
    expect(result.response?.url).toBe(url);
    expect(result.exchange.redirects).toBeUndefined();
    expect(elsewhere.received).toHaveLength(0);
  });

  it('redirect-to-file-url: a file: URL is another origin, so the 301 is the answer', async () => {
    const { url, result } = await hit('redirect-to-file-url', { followRedirects: true });
    expect(result.response).toMatchObject({ status: 301, url, headers: { location: 'file:///etc/passwd' } });
  });

  it('redirect-to-unparseable-location: the 302 is the answer, not a crash on the URL', async () => {
    const { result } = await hit('redirect-to-unparseable-location', { followRedirects: true });
    expect(result.error).toBeUndefined();
    expect(result.response).toMatchObject({ status: 302, bodyText: 'see there' });
  });

  it('redirect-with-endless-body: the redirect body is drained within bounds, then followed', async () => {
    const { result, peakRssDeltaMb } = await hit('redirect-with-endless-body', {
      path: '/',
      followRedirects: true,
    });
    expect(result.response?.status).toBe(200);
    expect(result.response?.bodyText).toBe('{"landed":true}');
    expect(result.exchange.redirects).toHaveLength(1);
    expect(peakRssDeltaMb).toBeLessThan(MEMORY_BOUND_MB);
  });
});

describe('WWW-Authenticate crafted to break parsers: problems reported, never thrown, in milliseconds', () => {
  /** the bound for one parse: a 16 KiB field value takes well under a millisecond once warm */
  const PARSE_BOUND_MS = 25;

  it.each([
    ['tenKilobytesOfCommas', { challenges: 1, params: 1, problems: [] as string[], first: ['realm', 'mcp'] }],
    [
      'unterminatedQuote',
      {
        challenges: 1,
        params: 2,
        problems: ['unterminated quoted string for parameter "resource_metadata"'],
        first: ['resource_metadata', 'http://127.0.0.1:9/x'],
      },
    ],
    [
      'nestedEscapedQuotes',
      { challenges: 1, params: 2, problems: [], first: ['error_description', 'say "\\"hi\\""'] },
    ],
    [
      'trailingBackslash',
      {
        challenges: 1,
        params: 1,
        problems: ['unterminated quoted string for parameter "realm"'],
        first: ['realm', 'abc'],
      },
    ],
    ['thousandParameters', { challenges: 1, params: 1000, problems: [], first: ['p999', '999'] }],
    [
      'bearerRepeated500Times',
      {
        challenges: 499,
        params: 0,
        problems: [
          ...Array.from(
            { length: 20 },
            (_, i) => `missing "," before challenge "Bearer" at offset ${7 * (i + 1)}`,
          ),
          '478 more problem(s) not listed',
        ],
        first: undefined,
      },
    ],
    [
      'nonAsciiAndNul',
      {
        challenges: 2,
        params: 2,
        problems: [
          'parameter "error" holds a control character at offset 32',
          'unexpected character "é" after scheme "r"',
        ],
        first: ['realm', 'café \u{1f600}'],
      },
    ],
  ] as const)('%s', (name, expected) => {
    exercised.add(`parser:${name}`);
    const { parsed, elapsedMs } = timedParse(HOSTILE_CHALLENGES[name]);
    measurements.push({ name: `parse ${name}`, elapsedMs: Math.round(elapsedMs * 100) / 100 });
    expect(elapsedMs).toBeLessThan(PARSE_BOUND_MS);
    expect(parsed.problems).toEqual(expected.problems);
    expect(parsed.challenges).toHaveLength(expected.challenges);
    expect(parsed.challenges[0]!.params).toHaveLength(expected.params);
    if (expected.first) {
      const [param, value] = expected.first;
      expect(paramValues(parsed.challenges[0]!, param)).toEqual([value]);
    }
  });

  it('never throws on random bytes and stays linear', async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = 'Bearer realm=",\\ \t\u0000é=abc';
    for (let round = 0; round < 100; round++) {
      const text = Array.from(
        { length: 16 * 1024 * random() },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const { parsed, elapsedMs } = timedParse(text);
      expect(elapsedMs).toBeLessThan(PARSE_BOUND_MS);
      expect(parsed.problems.length).toBeLessThanOrEqual(21);
      // the hostile servers of the whole runs share this event loop: let them answer
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it.each([
    ['challenge-ten-kilobytes-of-commas', 'passed'],
    [
      'challenge-unterminated-quote',
      'is malformed: unterminated quoted string for parameter "resource_metadata"',
    ],
    ['challenge-nested-escaped-quotes', 'passed'],
    ['challenge-thousand-parameters', 'passed'],
    [
      'challenge-bearer-repeated-500-times',
      'is malformed: missing "," before challenge "Bearer" at offset 7',
    ],
    ['challenge-non-ascii', 'is malformed: unexpected character "é" after scheme "r"'],
    ['challenge-in-hundred-fields', 'passed'],
  ] as const)('%s over HTTP: challenge-well-formed says "%s"', async (name, verdict) => {
    const { result } = await hit(name);
    expect(result.response?.status).toBe(401);
    const header = headerText(result.response!.headers['www-authenticate'])!;
    const { elapsedMs } = timedParse(header);
    expect(elapsedMs).toBeLessThan(PARSE_BOUND_MS);
    const outcome = challengeWellFormed.run(header, {});
    expect(outcome.ok ? 'passed' : outcome.message).toBe(verdict);
  });

  it('challenge-in-hundred-fields: the fields are one list, read in order', async () => {
    const { result } = await hit('challenge-in-hundred-fields');
    const parsed = parseWwwAuthenticate(headerText(result.response!.headers['www-authenticate'])!);
    expect(parsed.challenges).toHaveLength(100);
    expect(paramValues(findChallenge(parsed, 'bearer')!, 'realm')).toEqual(['r0']);
  });

  it('challenge-unterminated-quote: the parameter keeps its text, not its name', async () => {
    const { server, result } = await hit('challenge-unterminated-quote');
    expect(
      verdictOf(
        { kind: 'challenge', scheme: 'Bearer', param: 'resource_metadata' },
        {
          kind: 'matches',
          pattern: '^http://127\\.0\\.0\\.1:\\d+/\\.well-known/oauth-protected-resource/mcp$',
        },
        result.response,
      ),
    ).toBe('passed');
    expect(server.received).toHaveLength(1);
  });
});

// --- whole runs ----------------------------------------------------------------------------------

interface WholeRun {
  cli: CliResult;
  wallMs: number;
  report: RunReport;
  server: HostileServer;
  elsewhere?: HostileServer;
  /** the run's request deadline plus slack */
  requestBoundMs: number;
}

const SECRET = 'hostile-run-client-secret-0123456789';
/** `url: true`: run as `run --url`, with the engine's default limits, instead of a target file */
type WholeRunStart = () => Promise<{ server: HostileServer; elsewhere?: HostileServer; url?: true }>;
const wholeRunSpecs: Record<string, WholeRunStart> = {
  'never-answers': async () => ({ server: await startHostileServer(hostileCases['never-answers']) }),
  'endless-chunked-body': async () => ({
    server: await startHostileServer(hostileCases['endless-chunked-body']),
  }),
  // 200 KB: under the default 1 MiB cap too, so this one runs the way --url users run it
  'deeply-nested-json': async () => ({
    server: await startHostileServer(hostileCases['deeply-nested-json']),
    url: true,
  }),
  'challenge-unterminated-quote': async () => ({
    server: await startHostileServer(hostileCases['challenge-unterminated-quote']),
  }),
  'metadata-pointing-elsewhere': async () => {
    const elsewhere = await startHostileServer({
      description: 'collects whatever is sent to it',
      respond: (connection) => connection.json(400, { error: 'invalid_request' }),
    });
    return { elsewhere, server: await startHostileServer(metadataPointingElsewhere(elsewhere.origin)) };
  },
};
const wholeRuns = new Map<string, Promise<WholeRun>>();
/**
 * How many CLI runs go at once. Each starts vitest with its worker threads; more of them than the
 * machine has cores starve one another past the 1500 ms deadlines, and a prompt server times out.
 */
const WHOLE_RUN_LANES = 2;
const wholeRunDirectories: string[] = [];

/**
 * Whole CLI runs take seconds each, mostly waiting on deadlines; they start before the first test,
 * in WHOLE_RUN_LANES lanes, and are awaited in the last describe block.
 */
function startWholeRuns(): void {
  // the slowest run (never-answers waits out every deadline) gets a lane of its own
  const queue = Object.entries(wholeRunSpecs);
  const lanes: Promise<unknown>[] = Array.from({ length: WHOLE_RUN_LANES }, () => Promise.resolve());
  queue.forEach(([name, start], index) => {
    exercised.add(name);
    const lane = index === 0 ? 0 : 1 + ((index - 1) % (WHOLE_RUN_LANES - 1));
    const run = lanes[lane]!.then(() => wholeRun(name, start));
    lanes[lane] = run.catch(() => {});
    run.catch(() => {
      // awaited (and reported) by the test that needs it
    });
    wholeRuns.set(name, run);
  });
}

async function wholeRun(name: string, start: WholeRunStart): Promise<WholeRun> {
  const { server, elsewhere, url } = await start();
  const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-hostile-'));
  wholeRunDirectories.push(work);
  writeFileSync(
    join(work, 'target.yaml'),
    stringify({
      schema: 'mcp-conformance/target/v1',
      mcp: { url: `${server.origin}/mcp` },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a target-file environment reference
      clients: { confidential: { client_id: 'hostile-client', client_secret: '${env:HOSTILE_SECRET}' } },
      options: { timeout_ms: timeoutMs, max_response_bytes: maxBytes },
    }),
  );
  const started = performance.now();
  let cli: CliResult;
  try {
    const targetArgs = url ? ['--url', `${server.origin}/mcp`] : ['--target', join(work, 'target.yaml')];
    cli = await runCli(['run', ...targetArgs, '--reporter', 'json', '--out', join(work, 'report')], {
      env: { HOSTILE_SECRET: SECRET },
    });
  } finally {
    await server.stop();
    await elsewhere?.stop();
  }
  const wallMs = performance.now() - started;
  measurements.push({ name: `whole run ${name}`, elapsedMs: Math.round(wallMs) });
  const report = JSON.parse(readFileSync(join(work, 'report', 'results.json'), 'utf8')) as RunReport;
  const requestBoundMs = (url ? DEFAULT_TIMEOUT_MS : timeoutMs) + 1000;
  return { cli, wallMs, report, server, requestBoundMs, ...(elsewhere ? { elsewhere } : {}) };
}

afterAll(async () => {
  await Promise.allSettled(wholeRuns.values());
  for (const directory of wholeRunDirectories) rmSync(directory, { recursive: true, force: true });
}, 120_000);

/** What every whole run against a hostile server must show, whatever the hostility. */
function expectOrderlyRun(run: WholeRun): void {
  expect(run.cli.code).toBe(1);
  expect(run.cli.stderr).not.toMatch(STACK_TRACE);
  expect(run.report.problems).toEqual([]);
  expect(run.report.results.length).toBeGreaterThan(100);
  for (const result of run.report.results) {
    expect(result.message).not.toMatch(/crashed before reaching a verdict|Maximum call stack/);
    if (result.outcome !== 'passed') continue;
    // a pass rests on answers: none of the exchanges behind it failed
    for (const id of result.exchanges) {
      expect(run.report.exchanges[id]?.response, `${result.suite}/${result.id}`).toBeDefined();
      expect(run.report.exchanges[id]?.error, `${result.suite}/${result.id}`).toBeUndefined();
    }
  }
  for (const exchange of Object.values(run.report.exchanges))
    expect(exchange.durationMs).toBeLessThan(run.requestBoundMs);
  // requests run one after another at worst: each within its deadline, plus start-up and reporting
  expect(run.wallMs).toBeLessThan(run.server.received.length * run.requestBoundMs + 20_000);
}

describe('whole CLI runs against a hostile MCP URL', () => {
  const outcomes = (run: WholeRun) => new Set(run.report.results.map((r) => r.outcome));

  it('never-answers: every step that needed the server is an error at the deadline, nothing passes', async () => {
    const run = await wholeRuns.get('never-answers')!;
    expectOrderlyRun(run);
    expect(outcomes(run)).toEqual(new Set(['error', 'skipped']));
    const errors = run.report.results.filter((r) => r.outcome === 'error');
    expect(errors.length).toBeGreaterThan(10);
    for (const error of errors) {
      expect(error.message).toMatch(
        new RegExp(
          `^step "[a-z0-9-]+" \\(suites/[^)]+:\\d+:\\d+\\) got no response: no complete response from ${run.server.origin}/\\S* within ${timeoutMs} ms$`,
        ),
      );
    }
  }, 90_000);

  it('endless-chunked-body: every step that needed the server is an error at the size cap, nothing passes', async () => {
    const run = await wholeRuns.get('endless-chunked-body')!;
    expectOrderlyRun(run);
    expect(outcomes(run)).toEqual(new Set(['error', 'skipped']));
    for (const error of run.report.results.filter((r) => r.outcome === 'error'))
      expect(error.message).toMatch(new RegExp(`^step "[a-z0-9-]+" \\(.+\\) got no response: ${TOO_LARGE}$`));
  }, 90_000);

  it('deeply-nested-json (run --url): JSON checks say the document nests too deep; no stack overflow', async () => {
    const run = await wholeRuns.get('deeply-nested-json')!;
    expectOrderlyRun(run);
    expect(run.report.results.filter((r) => r.outcome === 'error').map((r) => r.message)).toEqual([]);
    const messages = run.report.results.map((r) => r.message);
    expect(messages).toContain(
      `$.resource cannot be read (the response body nests JSON deeper than ${MAX_JSON_DEPTH} levels)`,
    );
  }, 90_000);

  it('challenge-unterminated-quote: the challenge is malformed, and discovery still reads its URL', async () => {
    const run = await wholeRuns.get('challenge-unterminated-quote')!;
    expectOrderlyRun(run);
    const wellFormed = run.report.results.find(
      (r) => r.suite === 'rfc6750-bearer-challenge' && r.id === 'challenge-well-formed',
    );
    expect(wellFormed).toMatchObject({
      outcome: 'failed',
      message:
        'header "www-authenticate" is malformed: unterminated quoted string for parameter "resource_metadata"',
    });
    // the value a client would read is the URL, not the parameter name glued to it
    expect(run.server.received.map((r) => `${r.method} ${r.path}`)).toContain(
      'GET /.well-known/oauth-protected-resource/mcp',
    );
  }, 90_000);

  it('metadata-pointing-elsewhere: the other origin never gets the client secret', async () => {
    const run = await wholeRuns.get('metadata-pointing-elsewhere')!;
    expectOrderlyRun(run);
    const elsewhere = run.elsewhere!;
    const basic = Buffer.from(`hostile-client:${SECRET}`).toString('base64');
    const seen = JSON.stringify(elsewhere.received);
    for (const spelling of [SECRET, encodeURIComponent(SECRET), basic]) expect(seen).not.toContain(spelling);
    const refused = run.report.results.filter((r) => r.message.includes('client credentials not sent'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.outcome === 'error')).toBe(true);
    expect(refused[0]!.message).toContain(
      `${elsewhere.origin}/token is outside the origins the target names`,
    );
  }, 90_000);
});

describe('the catalogue', () => {
  it('has at least 30 behaviours, and every one was pointed at the engine', () => {
    const names = Object.keys(hostileCases);
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(names.filter((name) => !exercised.has(name))).toEqual([]);
  });
});
