import type { ResponseView } from './exchange.js';
import { headerText } from './http-client.js';

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
    for (const data of sseEventData(response.bodyText)) {
      try {
        return { ok: true, value: JSON.parse(data) };
      } catch {
        // not a JSON event: try the next one
      }
    }
    return { ok: false, why: 'the event stream holds no JSON event' };
  }
  try {
    return { ok: true, value: JSON.parse(response.bodyText) };
  } catch {
    return { ok: false, why: 'the response body is not JSON' };
  }
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
