import type { RecordedExchange } from '../src/engine/exchange.js';

const PREVIEW_CHARACTERS = 200;

/** A body as one short line: whitespace folded, cut at PREVIEW_CHARACTERS. */
function preview(body: string, totalBytes?: number): string {
  const line = body.replace(/\s+/g, ' ').trim();
  const cut = line.length > PREVIEW_CHARACTERS ? `${line.slice(0, PREVIEW_CHARACTERS)}…` : line;
  return totalBytes !== undefined && (cut !== line || totalBytes > body.length)
    ? `${cut} (${totalBytes} bytes)`
    : cut;
}

function headerLines(prefix: string, headers: Record<string, string | string[]>): string[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => `${prefix} ${name}: ${v}`),
  );
}

/**
 * One exchange the way `curl -v` shows it: `>` request line, headers and body preview, `<` status,
 * headers and body preview. The exchange is already redacted; this only formats it.
 */
export function renderExchangeLog(source: string, exchange: RecordedExchange): string {
  // requests the suite's client document host received (from the authorization server) are marked
  const tag = exchange.inbound ? `[${source} inbound]` : `[${source}]`;
  const lines = [`${tag} > ${exchange.request.method} ${exchange.request.url}`];
  lines.push(...headerLines(`${tag} >`, exchange.request.headers));
  if (exchange.request.body) lines.push(`${tag} > ${preview(exchange.request.body)}`);
  for (const redirect of exchange.redirects ?? []) lines.push(`${tag} < redirected to ${redirect}`);
  if (exchange.response) {
    lines.push(`${tag} < ${exchange.response.status} (${Math.round(exchange.durationMs)} ms)`);
    lines.push(...headerLines(`${tag} <`, exchange.response.headers));
    if (exchange.response.body)
      lines.push(`${tag} < ${preview(exchange.response.body, exchange.response.bodyBytes)}`);
  } else {
    lines.push(
      `${tag} ! no response after ${Math.round(exchange.durationMs)} ms: ${exchange.error?.message ?? 'unknown error'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
