import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The environment variable that names the Chromium (or Chrome) to drive. */
export const BROWSER_ENV = 'MCP_CONFORMANCE_CHROMIUM';
const SYSTEM_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export type BrowserLocation = { path: string; source: string } | { missing: string };

/**
 * Finds a Chromium to drive, in this order: the target's `browser.executable_path`, the
 * MCP_CONFORMANCE_CHROMIUM environment variable, a Chromium that Playwright installed, then chromium /
 * google-chrome on the PATH. Nothing is downloaded. When none is found, one message names every option.
 */
export async function locateBrowser(
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BrowserLocation> {
  if (configured) {
    return isExecutable(configured)
      ? { path: configured, source: 'the target file (browser.executable_path)' }
      : { missing: `browser.executable_path ${configured} is not an executable file` };
  }
  const fromEnv = env[BROWSER_ENV];
  if (fromEnv) {
    return isExecutable(fromEnv)
      ? { path: fromEnv, source: BROWSER_ENV }
      : { missing: `${BROWSER_ENV}=${fromEnv} is not an executable file` };
  }
  try {
    const { chromium } = await import('playwright-core');
    const installed = chromium.executablePath();
    if (installed && isExecutable(installed))
      return { path: installed, source: "Playwright's installed Chromium" };
  } catch {
    // playwright-core is missing or knows no installed browser: look on the PATH
  }
  for (const directory of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of SYSTEM_BROWSERS) {
      const candidate = join(directory, name);
      if (isExecutable(candidate)) return { path: candidate, source: 'the PATH' };
    }
  }
  return {
    missing:
      `no Chromium found: set browser.executable_path in the target file, or ${BROWSER_ENV}, ` +
      `or install Chromium (e.g. Debian's chromium package, or Google Chrome) so that one of ` +
      `${SYSTEM_BROWSERS.join(', ')} is on the PATH`,
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
