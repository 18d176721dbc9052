import { Agent, type Dispatcher, request } from 'undici';
import { EvaluationError, RequestTimeoutError, ResponseTooLargeError } from '../errors.js';
import type { RecordedExchange, ResponseView } from './exchange.js';
import type { Redactor } from './redact.js';

export interface HttpClientOptions {
  /** extra CA certificates (PEM) trusted besides the system's */
  ca?: string;
  timeoutMs: number;
  maxBytes: number;
  redactor: Redactor;
  /** for unit tests: an undici MockAgent instead of a real connection pool */
  dispatcher?: Dispatcher;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  followRedirects?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface SendResult {
  exchange: RecordedExchange;
  response?: ResponseView;
  error?: EvaluationError;
}

const RECORDED_BODY_LIMIT = 64 * 1024;
const MAX_REDIRECTS = 5;

/**
 * Sends requests with a deadline and a response-size cap, follows redirects only when asked and
 * only within one origin, and records every exchange in redacted form.
 */
export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private sequence = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connect: options.ca ? { ca: options.ca, rejectUnauthorized: true } : { rejectUnauthorized: true },
        keepAliveTimeout: 1000,
      });
  }

  async send(outgoing: OutgoingRequest): Promise<SendResult> {
    const timeoutMs = outgoing.timeoutMs ?? this.options.timeoutMs;
    const maxBytes = outgoing.maxBytes ?? this.options.maxBytes;
    const started = performance.now();
    const exchange: RecordedExchange = {
      id: `x${++this.sequence}`,
      startedAt: new Date().toISOString(),
      durationMs: 0,
      request: {
        method: outgoing.method,
        url: this.options.redactor.text(outgoing.url),
        headers: this.options.redactor.headers(outgoing.headers),
        ...(outgoing.body !== undefined ? { body: this.options.redactor.text(outgoing.body) } : {}),
      },
    };
    const signal = AbortSignal.timeout(timeoutMs);
    let url = outgoing.url;
    let method = outgoing.method;
    let body = outgoing.body;
    try {
      for (let hop = 0; ; hop++) {
        const answer = await request(url, {
          dispatcher: this.dispatcher,
          method: method as Dispatcher.HttpMethod,
          headers: outgoing.headers,
          ...(body !== undefined ? { body } : {}),
          signal,
        });
        const location = headerText(answer.headers.location);
        if (outgoing.followRedirects && isRedirect(answer.statusCode) && location && hop < MAX_REDIRECTS) {
          // a Location that is no URL, or that leaves the origin, is not followed: the 3xx is the answer
          const next = URL.canParse(location, url) ? new URL(location, url) : undefined;
          if (next && next.origin === new URL(url).origin) {
            await answer.body.dump();
            exchange.redirects = [...(exchange.redirects ?? []), this.options.redactor.text(url)];
            if (
              answer.statusCode === 303 ||
              ((answer.statusCode === 301 || answer.statusCode === 302) && method === 'POST')
            ) {
              method = 'GET';
              body = undefined;
            }
            url = next.href;
            continue;
          }
        }
        const bytes = await readCapped(answer.body, maxBytes);
        const headers = normalizeHeaders(answer.headers);
        const bodyText = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        exchange.response = {
          status: answer.statusCode,
          headers: this.options.redactor.headers(headers),
          body: this.options.redactor.text(bodyText.slice(0, RECORDED_BODY_LIMIT)),
          bodyTruncated: bodyText.length > RECORDED_BODY_LIMIT,
          bodyBytes: bytes.byteLength,
        };
        exchange.durationMs = Math.round(performance.now() - started);
        return { exchange, response: { url, status: answer.statusCode, headers, bodyText } };
      }
    } catch (cause) {
      const error = describeFailure(cause, url, timeoutMs, signal, this.options.redactor);
      exchange.error = { code: error.code, message: error.message };
      exchange.durationMs = Math.round(performance.now() - started);
      return { exchange, error };
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).byteLength;
    if (total > maxBytes) {
      body.destroy();
      throw new ResponseTooLargeError(`response body exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function normalizeHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) result[name.toLowerCase()] = value;
  return result;
}

export function headerText(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

function describeFailure(
  cause: unknown,
  url: string,
  timeoutMs: number,
  signal: AbortSignal,
  redactor: Redactor,
): EvaluationError {
  if (cause instanceof ResponseTooLargeError) return cause;
  const target = redactor.text(url);
  if (signal.aborted)
    return new RequestTimeoutError(`no complete response from ${target} within ${timeoutMs} ms`);
  const code =
    (cause as { code?: string; cause?: { code?: string } }).code ??
    (cause as { cause?: { code?: string } }).cause?.code;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ECONNRESET: 'connection reset',
    UND_ERR_SOCKET: 'connection closed by the server',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed and not trusted',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate chain is not trusted',
    CERT_HAS_EXPIRED: 'TLS certificate has expired',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not name this host',
    UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
  };
  const message = (cause as Error).message ?? String(cause);
  // undici reports several different socket failures under one code; tell them apart
  if (code === 'UND_ERR_SOCKET' && message === 'bad upgrade')
    reasons.UND_ERR_SOCKET = 'the server switched protocols (101) though no upgrade was asked for';
  const reason = (code && reasons[code]) ?? redactor.text(message);
  return new EvaluationError(
    `request to ${target} failed: ${reason}${code && !reasons[code] ? ` (${code})` : ''}`,
    {
      cause,
    },
  );
}

/** The HTTP client for a target: its extra CA, its timeout and size cap, and its secrets redacted. */
export function clientForTarget(
  target: {
    caPem?: string;
    secrets: readonly string[];
    options: { timeoutMs: number; maxResponseBytes: number };
  },
  redactor: Redactor,
): HttpClient {
  for (const secret of target.secrets) redactor.add(secret);
  return new HttpClient({
    ...(target.caPem ? { ca: target.caPem } : {}),
    timeoutMs: target.options.timeoutMs,
    maxBytes: target.options.maxResponseBytes,
    redactor,
  });
}
