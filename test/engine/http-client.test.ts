import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/engine/http-client.js';
import { Redactor } from '../../src/engine/redact.js';

function clientWith(agent: MockAgent, overrides: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const redactor = new Redactor();
  redactor.add('s3cr3t-value');
  return new HttpClient({ timeoutMs: 1000, maxBytes: 1024, redactor, dispatcher: agent, ...overrides });
}

describe('HttpClient', () => {
  let agent: MockAgent;
  afterEach(async () => {
    await agent.close();
  });

  it('records a redacted exchange', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://as.test')
      .intercept({ path: '/token', method: 'POST' })
      .reply(200, '{"access_token":"s3cr3t-value"}', {
        headers: { 'content-type': 'application/json', 'set-cookie': 'sid=abc' },
      });
    const { exchange, response } = await clientWith(agent).send({
      method: 'POST',
      url: 'https://as.test/token',
      headers: { authorization: 'Basic czNjcjN0LXZhbHVl' },
      body: 'client_secret=s3cr3t-value',
    });
    expect(response?.bodyText).toBe('{"access_token":"s3cr3t-value"}');
    expect(exchange.request).toEqual({
      method: 'POST',
      url: 'https://as.test/token',
      headers: { authorization: 'Basic [redacted]' },
      body: 'client_secret=[redacted]',
    });
    expect(exchange.response).toMatchObject({
      status: 200,
      body: '{"access_token":"[redacted]"}',
      headers: { 'set-cookie': '[redacted]' },
    });
  });

  it('stops reading at the size cap', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://big.test').intercept({ path: '/' }).reply(200, 'x'.repeat(5000));
    const { error, exchange } = await clientWith(agent).send({
      method: 'GET',
      url: 'https://big.test/',
      headers: {},
    });
    expect(error?.code).toBe('ERR_RESPONSE_TOO_LARGE');
    expect(exchange.error).toEqual({
      code: 'ERR_RESPONSE_TOO_LARGE',
      message: 'response body exceeds the 1024-byte limit',
    });
  });

  it('gives up after the timeout', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://slow.test').intercept({ path: '/' }).reply(200, 'late').delay(500);
    const { error } = await clientWith(agent, { timeoutMs: 50 }).send({
      method: 'GET',
      url: 'https://slow.test/',
      headers: {},
    });
    expect(error?.code).toBe('ERR_REQUEST_TIMEOUT');
    expect(error?.message).toBe('no complete response from https://slow.test/ within 50 ms');
  });

  it('does not follow redirects unless asked, and never across origins', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://a.test');
    pool
      .intercept({ path: '/one' })
      .reply(302, '', { headers: { location: '/two' } })
      .persist();
    pool
      .intercept({ path: '/two' })
      .reply(302, '', { headers: { location: 'https://b.test/three' } })
      .persist();
    const client = clientWith(agent);
    const plain = await client.send({ method: 'GET', url: 'https://a.test/one', headers: {} });
    expect(plain.response?.status).toBe(302);
    const followed = await client.send({
      method: 'GET',
      url: 'https://a.test/one',
      headers: {},
      followRedirects: true,
    });
    expect(followed.response?.status).toBe(302);
    expect(followed.response?.url).toBe('https://a.test/two');
    expect(followed.exchange.redirects).toEqual(['https://a.test/one']);
  });
});

describe('Redactor', () => {
  it('removes a secret in its URL and form spellings too', () => {
    const redactor = new Redactor();
    redactor.add('a+b/c= d&e');
    expect(redactor.text('raw a+b/c= d&e, uri a%2Bb%2Fc%3D%20d%26e, form a%2Bb%2Fc%3D+d%26e')).toBe(
      'raw [redacted], uri [redacted], form [redacted]',
    );
  });

  it('masks credential headers whatever they hold, keeping the scheme', () => {
    expect(new Redactor().headers({ Authorization: 'Bearer abc.def', cookie: 'sid=1', accept: 'x' })).toEqual(
      {
        Authorization: 'Bearer [redacted]',
        cookie: '[redacted]',
        accept: 'x',
      },
    );
  });
});
