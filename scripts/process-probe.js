// Preloaded with `node --import <this file>` into a process the bench (or a memory test) measures.
//
// - On exit it writes `PROBE_MAX_RSS_KB=<n>` to stderr: the peak resident set size of the whole process,
//   worker threads included (process.resourceUsage().maxRSS, in kilobytes); and `PROBE_CPU_MS=<n>`, the
//   user plus system CPU time of the process, which a busy machine inflates less than wall time.
// - With PROBE_LOOPBACK_ONLY=1 it refuses every TCP connection to a host that is not a loopback address
//   (or "localhost"): the socket fails with an error instead of connecting, and `PROBE_OFF_LOOPBACK=<host>`
//   is written to stderr, so a tool that tries to reach the internet is caught, not trusted. It also
//   counts the HTTP requests undici (and so fetch) creates in this thread and the origins they go to:
//   `PROBE_REQUESTS=<n>` and `PROBE_ORIGIN=<origin>` lines on exit.
import { subscribe } from 'node:diagnostics_channel';
import { writeSync } from 'node:fs';
import { isIP, Socket } from 'node:net';

const lines = [];

if (process.env.PROBE_LOOPBACK_ONLY === '1') {
  const isLoopback = (host) => {
    const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
    if (bare === 'localhost') return true;
    if (isIP(bare) === 4) return bare.startsWith('127.');
    if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
    return false;
  };
  // net.connect, tls.connect, http(s) agents and undici all end in Socket#connect
  const connect = Socket.prototype.connect;
  Socket.prototype.connect = function guardedConnect(...args) {
    // internal callers pass [options, callback] as one normalized array
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    let host = 'localhost';
    let path;
    if (first && typeof first === 'object') {
      host = first.host ?? first.hostname ?? 'localhost';
      path = first.path;
    } else if (typeof first === 'string' && Number.isNaN(Number(first))) {
      path = first;
    } else if (typeof args[1] === 'string') {
      host = args[1];
    }
    if (path === undefined && !isLoopback(String(host))) {
      lines.push(`PROBE_OFF_LOOPBACK=${host}`);
      process.nextTick(() =>
        this.destroy(new Error(`connection to ${host} refused: not a loopback address`)),
      );
      return this;
    }
    return connect.apply(this, args);
  };

  let requests = 0;
  const origins = new Set();
  subscribe('undici:request:create', ({ request }) => {
    requests++;
    origins.add(request.origin);
  });
  process.on('exit', () => {
    lines.push(`PROBE_REQUESTS=${requests}`);
    for (const origin of origins) lines.push(`PROBE_ORIGIN=${origin}`);
  });
}

// registered last, so that it runs after the listeners above have added their lines
process.on('exit', () => {
  const usage = process.resourceUsage();
  lines.push(`PROBE_CPU_MS=${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}`);
  lines.push(`PROBE_MAX_RSS_KB=${usage.maxRSS}`);
  writeSync(2, `\n${lines.join('\n')}\n`);
});
