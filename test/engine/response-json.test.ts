import { describe, expect, it } from 'vitest';
import { responseJson, sseEventData } from '../../src/engine/response-json.js';

const response = (contentType: string, bodyText: string) => ({
  url: 'https://h/',
  status: 200,
  headers: { 'content-type': contentType },
  bodyText,
});

describe('responseJson', () => {
  it('parses a JSON body', () => {
    expect(responseJson(response('application/json', '{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });
  it('reads the first JSON event of an event stream', () => {
    const stream = 'event: message\ndata: not json\n\nid: 1\ndata: {"jsonrpc":"2.0",\ndata: "id":1}\n\n';
    expect(responseJson(response('text/event-stream', stream))).toEqual({
      ok: true,
      value: { jsonrpc: '2.0', id: 1 },
    });
  });
  it('says why there is no document', () => {
    expect(responseJson(response('text/html', '<p>'))).toEqual({
      ok: false,
      why: 'the response body is not JSON',
    });
    expect(responseJson(response('text/event-stream', ': ping\n\n'))).toEqual({
      ok: false,
      why: 'the event stream holds no JSON event',
    });
  });
});

describe('sseEventData', () => {
  it('joins data lines, handles CRLF and a missing final blank line', () => {
    expect(sseEventData('data: a\r\ndata:b\r\n\r\ndata: c')).toEqual(['a\nb', 'c']);
  });
});
