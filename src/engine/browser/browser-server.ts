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
 * One browser per run, started in the main process; suites connect to it over its WebSocket. (Over
 * the DevTools protocol instead, every connected suite would attach to every other suite's pages too:
 * measured, that costs more than the hop through the main process.)
 */
export interface RunBrowser {
  wsEndpoint: string;
  close(): Promise<void>;
}

export async function launchRunBrowser(executablePath: string): Promise<RunBrowser> {
  const { chromium } = await import('playwright-core');
  const server = await chromium.launchServer({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  return { wsEndpoint: server.wsEndpoint(), close: () => server.close() };
}
