import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { isIP } from 'node:net';
import type { RecordedExchange } from './exchange.js';
import { closeServer, listenOn } from './loopback-server.js';

/**
 * The names a suite may use as `{{ cimd.NAME }}`: the document host's base URL and its host:port, its decoy listener's base URL,
 * and (inside a document definition only) the document's own URL.
 */
export const DOCUMENT_HOST_NAMES = [
  'cimd.base_url',
  'cimd.authority',
  'cimd.decoy_base_url',
  'cimd.document_url',
] as const;

/** What the host answers at one path: the status, the headers and the body, as the suite defines them. */
export interface ServedDocument {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request the host received (from the authorization server under test), and what it answered. */
export interface DocumentFetch {
  /** 1, 2, ... in the order the requests arrived, over both listeners */
  sequence: number;
  /** `document`: the declared document host; `decoy`: the second loopback listener no AS should fetch from */
  listener: 'document' | 'decoy';
  /** the absolute URL as the host sees it: its own base URL and the request's path and query */
  url: string;
  method: string;
  headers: Record<string, string | string[]>;
  startedAt: string;
  durationMs: number;
  response: { status: number; headers: Record<string, string>; body: string; bodyBytes: number };
}

export interface DocumentHostOptions {
  /** the address both listeners bind to: a loopback address only */
  bind: string;
  /** the document host's port (0: any free port, for tests) */
  port: number;
  /** the base URL the authorization server uses to reach the host (default https://BIND:PORT) */
  baseUrl?: string;
  /** PEM certificate (chain) and private key the authorization server must trust */
  certPem: string;
  keyPem: string;
}

/** How much of each answer the recorded exchanges keep, as for the suite's own requests. */
const RECORDED_BODY_LIMIT = 64 * 1024;
const NOT_FOUND: ServedDocument = {
  status: 404,
  headers: { 'content-type': 'application/json' },
  body: '{"error":"not_found"}',
};

/** Whether a host name or address stands for this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * A loopback HTTPS server that serves client metadata documents (draft-ietf-oauth-client-id-metadata-document)
 * to the authorization server under test and records every request it receives, so suites can say that
 * the AS fetched a document, did not fetch it, or fetched it again. Beside the declared host it listens
 * on a second, ephemeral "decoy" port on the same address: an AS that fetches a client_id URL there
 * fetches from a loopback address nobody declared to it (the SSRF probe).
 */
export class DocumentHost {
  private readonly documents = new Map<string, ServedDocument>();
  private readonly fetches: DocumentFetch[] = [];
  private sequence = 0;

  private constructor(
    private readonly servers: Server[],
    /** e.g. https://127.0.0.1:8443 (no trailing slash) */
    readonly baseUrl: string,
    /** the decoy listener, e.g. https://127.0.0.1:40123 */
    readonly decoyBaseUrl: string,
  ) {}

  static async start(options: DocumentHostOptions): Promise<DocumentHost> {
    if (!isLoopbackHost(options.bind) || isIP(options.bind.replace(/^\[|\]$/g, '')) === 0) {
      throw new Error(`the client document host binds to loopback addresses only, not "${options.bind}"`);
    }
    const tls = { cert: options.certPem, key: options.keyPem };
    let host: DocumentHost | undefined;
    const handler = (listener: DocumentFetch['listener']) => (req: IncomingMessage, res: ServerResponse) =>
      host?.answer(listener, req, res);
    const main = createServer(tls, handler('document'));
    const decoy = createServer(tls, handler('decoy'));
    const servers = [main, decoy];
    try {
      const bind = options.bind.replace(/^\[|\]$/g, '');
      const [port, decoyPort] = [await listenOn(main, bind, options.port), await listenOn(decoy, bind, 0)];
      const hostPart = isIP(bind) === 6 ? `[${bind}]` : bind;
      const baseUrl = (options.baseUrl ?? `https://${hostPart}:${port}`).replace(/\/+$/, '');
      const decoyUrl = new URL(baseUrl);
      decoyUrl.port = String(decoyPort);
      host = new DocumentHost(servers, baseUrl, decoyUrl.origin);
      return host;
    } catch (error) {
      await Promise.all(servers.map(closeServer));
      throw error;
    }
  }

  /** Serves `document` at `path` (exact path, query ignored) on both listeners from now on. */
  serve(path: string, document: ServedDocument): void {
    this.documents.set(path, document);
  }

  /** The number of requests received so far: pass it to `fetchesSince` to get what came after. */
  get fetchCount(): number {
    return this.fetches.length;
  }

  fetchesSince(count: number): DocumentFetch[] {
    return this.fetches.slice(count);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map(closeServer));
  }

  private answer(listener: DocumentFetch['listener'], req: IncomingMessage, res: ServerResponse): void {
    const started = Date.now();
    const base = listener === 'document' ? this.baseUrl : this.decoyBaseUrl;
    const target = req.url ?? '/';
    const path = target.split('?')[0]!;
    const served = this.documents.get(path) ?? NOT_FOUND;
    const record: DocumentFetch = {
      sequence: ++this.sequence,
      listener,
      url: `${base}${target.startsWith('/') ? target : `/${target}`}`,
      method: req.method ?? 'GET',
      headers: { ...(req.headers as Record<string, string | string[]>) },
      startedAt: new Date(started).toISOString(),
      durationMs: 0,
      response: {
        status: served.status,
        headers: served.headers,
        body: served.body.slice(0, RECORDED_BODY_LIMIT),
        bodyBytes: Buffer.byteLength(served.body),
      },
    };
    this.fetches.push(record);
    // the request body (there should be none) is drained so the connection stays usable
    req.resume();
    const done = () => {
      record.durationMs = Date.now() - started;
    };
    res.once('finish', done);
    res.once('close', done);
    res.writeHead(served.status, served.headers);
    res.end(req.method === 'HEAD' ? undefined : served.body);
  }
}

/** A recorded fetch as an exchange for the reports (not yet redacted). */
export function fetchAsExchange(fetch: DocumentFetch): RecordedExchange {
  return {
    id: `d${fetch.sequence}`,
    startedAt: fetch.startedAt,
    durationMs: fetch.durationMs,
    inbound: true,
    request: { method: fetch.method, url: fetch.url, headers: fetch.headers },
    response: {
      status: fetch.response.status,
      headers: fetch.response.headers,
      body: fetch.response.body,
      bodyTruncated: fetch.response.bodyBytes > Buffer.byteLength(fetch.response.body),
      bodyBytes: fetch.response.bodyBytes,
    },
  };
}
