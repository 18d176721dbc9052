import { STATUS_CODES } from 'node:http';
import type { RecordedExchange } from '../src/engine/exchange.js';
import type { RunReport } from '../src/runner/run-report.js';

/** undici speaks HTTP/1.1 unless told otherwise, and the engine does not tell it otherwise */
const HTTP_VERSION = 'HTTP/1.1';

interface HarHeader {
  name: string;
  value: string;
}

interface HarCookie {
  name: string;
  value: string;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    headers: HarHeader[];
    queryString: HarHeader[];
    cookies: HarCookie[];
    headersSize: -1;
    bodySize: number;
    postData?: { mimeType: string; text: string };
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: HarHeader[];
    cookies: HarCookie[];
    content: { size: number; mimeType: string; text?: string; comment?: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  /** the exchange id in results.json */
  _id: string;
  /** `suite/assertion` ids whose verdict rests on this exchange */
  _assertions: string[];
  /** set when no response came back: status is then 0 */
  _error?: { code: string; message: string };
  /** URLs that answered with a redirect the engine followed, oldest first */
  _redirects?: string[];
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: { startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }[];
    entries: HarEntry[];
    comment: string;
  };
}

/**
 * Every recorded HTTP exchange of a run as HAR 1.2, for browser dev tools and HAR viewers. One page
 * per suite. The exchanges in the report are already redacted, so this adds no secret; an exchange
 * that got no response has status 0 and its reason in `_error`.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */
export function renderHar(report: RunReport): string {
  return `${JSON.stringify(buildHar(report), null, 2)}\n`;
}

export function buildHar(report: RunReport): Har {
  const citedBy = new Map<string, { suite: string; assertions: string[] }>();
  for (const result of report.results) {
    for (const exchangeId of result.exchanges) {
      const cited = citedBy.get(exchangeId) ?? { suite: result.suite, assertions: [] };
      cited.assertions.push(`${result.suite}/${result.id}`);
      citedBy.set(exchangeId, cited);
    }
  }
  const exchanges = Object.entries(report.exchanges).sort(
    ([a, x], [b, y]) =>
      x.startedAt.localeCompare(y.startedAt) || a.localeCompare(b, undefined, { numeric: true }),
  );
  const pages = new Map<string, Har['log']['pages'][number]>();
  const entries = exchanges.map(([key, exchange]) => {
    const cited = citedBy.get(key);
    if (cited && !pages.has(cited.suite)) {
      pages.set(cited.suite, {
        startedDateTime: exchange.startedAt,
        id: cited.suite,
        title: cited.suite,
        pageTimings: {},
      });
    }
    return harEntry(key, exchange, cited);
  });
  return {
    log: {
      version: '1.2',
      creator: { name: report.tool.name, version: report.tool.version },
      pages: [...pages.values()],
      entries,
      comment: `target ${report.target.name}, profile ${report.profile}, started ${report.startedAt}`,
    },
  };
}

function harEntry(
  key: string,
  exchange: RecordedExchange,
  cited?: { suite: string; assertions: string[] },
): HarEntry {
  const { request, response, error } = exchange;
  const requestType = headerValue(request.headers, 'content-type');
  const responseType = response ? headerValue(response.headers, 'content-type') : undefined;
  return {
    ...(cited ? { pageref: cited.suite } : {}),
    startedDateTime: exchange.startedAt,
    time: exchange.durationMs,
    request: {
      method: request.method,
      url: request.url,
      httpVersion: HTTP_VERSION,
      headers: harHeaders(request.headers),
      queryString: queryString(request.url),
      cookies: requestCookies(headerValue(request.headers, 'cookie')),
      headersSize: -1,
      bodySize: request.body === undefined ? 0 : Buffer.byteLength(request.body),
      ...(request.body !== undefined
        ? { postData: { mimeType: requestType ?? '', text: request.body } }
        : {}),
    },
    response: response
      ? {
          status: response.status,
          statusText: STATUS_CODES[response.status] ?? '',
          httpVersion: HTTP_VERSION,
          headers: harHeaders(response.headers),
          cookies: responseCookies(response.headers),
          content: {
            size: response.bodyBytes,
            mimeType: responseType ?? 'x-unknown',
            text: response.body,
            ...(response.bodyTruncated
              ? { comment: `the run recorded only the start of this ${response.bodyBytes}-byte body` }
              : {}),
          },
          redirectURL: headerValue(response.headers, 'location') ?? '',
          headersSize: -1,
          bodySize: response.bodyBytes,
        }
      : {
          status: 0,
          statusText: '',
          httpVersion: '',
          headers: [],
          cookies: [],
          content: { size: 0, mimeType: 'x-unknown' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
    cache: {},
    timings: { send: 0, wait: exchange.durationMs, receive: 0 },
    _id: key,
    _assertions: cited?.assertions ?? [],
    ...(error ? { _error: { code: error.code, message: error.message } } : {}),
    ...(exchange.redirects?.length ? { _redirects: exchange.redirects } : {}),
  };
}

function harHeaders(headers: Record<string, string | string[]>): HarHeader[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((one) => ({ name, value: one })),
  );
}

function headerValues(headers: Record<string, string | string[]>, name: string): string[] {
  return Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
}

function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

function queryString(url: string): HarHeader[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function requestCookies(header: string | undefined): HarCookie[] {
  if (!header) return [];
  return header
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? { name: pair, value: '' } : { name: pair.slice(0, at), value: pair.slice(at + 1) };
    });
}

function responseCookies(headers: Record<string, string | string[]>): HarCookie[] {
  return headerValues(headers, 'set-cookie').map((line) => {
    const first = line.split(';')[0]!.trim();
    const at = first.indexOf('=');
    return at < 0 ? { name: first, value: '' } : { name: first.slice(0, at), value: first.slice(at + 1) };
  });
}
