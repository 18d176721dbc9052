import type { ResponseView } from './exchange.js';
import { headerText } from './http-client.js';

/**
 * Documents nested deeper than this are refused before parsing. V8 parses any depth, but everything
 * that walks the result recursively afterwards (JSONPath, deep equality, redaction, JSON.stringify,
 * the structured clone that carries verdicts between threads) overflows the stack on a hostile
 * 100,000-level document. Real metadata and JSON-RPC responses nest a handful of levels.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * The JSON document of a response. A Streamable HTTP server may answer a JSON-RPC request with an
 * SSE stream instead of a JSON body; then the document is the first event whose data is JSON.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export function responseJson(
  response: ResponseView,
): { ok: true; value: unknown } | { ok: false; why: string } {
  const contentType = headerText(response.headers['content-type'])?.toLowerCase() ?? '';
  if (contentType.startsWith('text/event-stream')) {
    let tooDeep = false;
    for (const data of sseEventData(response.bodyText)) {
      if (nestsDeeperThan(data, MAX_JSON_DEPTH)) {
        tooDeep = true;
        continue;
      }
      try {
        return { ok: true, value: JSON.parse(data) };
      } catch {
        // not a JSON event: try the next one
      }
    }
    return {
      ok: false,
      why: tooDeep
        ? `the event stream's JSON nests deeper than ${MAX_JSON_DEPTH} levels`
        : 'the event stream holds no JSON event',
    };
  }
  if (nestsDeeperThan(response.bodyText, MAX_JSON_DEPTH)) {
    return { ok: false, why: `the response body nests JSON deeper than ${MAX_JSON_DEPTH} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(response.bodyText) };
  } catch {
    return { ok: false, why: 'the response body is not JSON' };
  }
}

/** Whether `[` and `{` outside strings nest deeper than `limit`: one pass, no parsing. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // a backslash escapes the next character; a quote ends the string
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** The data of each event in an event stream, in order. */
export function sseEventData(stream: string): string[] {
  const events: string[] = [];
  let data: string[] = [];
  for (const line of stream.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data.length) events.push(data.join('\n'));
      data = [];
    } else if (line.startsWith('data:')) {
      data.push(line.slice(line[5] === ' ' ? 6 : 5));
    }
  }
  if (data.length) events.push(data.join('\n'));
  return events;
}
