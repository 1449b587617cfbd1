import { type Browser, chromium } from 'playwright-core';

/**
 * Chromium for the console's browser tests, benchmarks and screenshots: Debian's build
 * (the rig installs it, test/rig/prepare.sh) driven by playwright-core — nothing is
 * downloaded at test time.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The two sizes the console must work at without horizontal scrolling. */
export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 768, height: 1024 },
] as const;

export function openBrowser(): Promise<Browser> {
  // --no-sandbox: the rig runs as root, where Chromium's sandbox will not start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
