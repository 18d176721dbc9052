import { createServer } from 'node:net';

/**
 * Flags for a headless Chromium that works as root in CI and stays on loopback: no sandbox (root
 * cannot use it), no GPU, and none of Chromium's own background traffic (updates, sync, safe browsing).
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
];

/**
 * One browser per run, started in the main process. Suites connect to it over the DevTools protocol
 * (`cdpEndpoint`), each from its own worker: the protocol work stays in the worker that needs it
 * instead of passing through the main process, which also serves the embedded reference target.
 */
export interface RunBrowser {
  cdpEndpoint: string;
  close(): Promise<void>;
}

export async function launchRunBrowser(executablePath: string): Promise<RunBrowser> {
  const { chromium } = await import('playwright-core');
  const port = await freeLoopbackPort();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // the DevTools endpoint listens on loopback only (Chromium's default address)
    args: [...CHROMIUM_ARGS, '--remote-debugging-address=127.0.0.1', `--remote-debugging-port=${port}`],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  try {
    const response = await fetch(`http://127.0.0.1:${port}/json/version`);
    const { webSocketDebuggerUrl } = (await response.json()) as { webSocketDebuggerUrl?: string };
    if (!webSocketDebuggerUrl) throw new Error('the browser named no DevTools endpoint');
    return { cdpEndpoint: webSocketDebuggerUrl, close: () => browser.close() };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
