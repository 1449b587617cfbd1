import { openBrowser } from '../support/chromium';

/**
 * The console's first load as a browser pays for it: every request Chromium makes to
 * open `/console/` signed in (page, script, style sheet, config, the first API calls),
 * with the bytes that crossed the wire (compressed bodies and headers, as Chromium counts
 * them) and, for comparison, the bodies' decoded sizes. Prints figures; asserts nothing.
 */
export async function consoleFirstLoad(url: string, token: string) {
  const browser = await openBrowser();
  try {
    const page = await (await browser.newContext()).newPage();
    const finished: Promise<{ what: string; wire: number; body: number }>[] = [];
    page.on('requestfinished', (request) =>
      finished.push(
        (async () => {
          const sizes = await request.sizes();
          const response = await request.response();
          const body = (await response?.body().catch(() => undefined))?.length ?? 0;
          const path = new URL(request.url()).pathname;
          return { what: path, wire: sizes.responseBodySize + sizes.responseHeadersSize, body };
        })(),
      ),
    );
    const started = performance.now();
    await page.goto(`${url}/console/#token=${token}`);
    await page.locator('main h1').first().waitFor();
    const shownMs = performance.now() - started;
    await page.waitForLoadState('networkidle');
    const rows = await Promise.all(finished);
    const total = {
      what: 'total',
      wire: rows.reduce((sum, r) => sum + r.wire, 0),
      body: rows.reduce((sum, r) => sum + r.body, 0),
    };
    console.log(
      `\nconsole first load: ${rows.length} requests, signed-in start page shown after ${shownMs.toFixed(0)} ms`,
    );
    console.table(
      [...rows, total].map((r) => ({
        request: r.what,
        'on the wire (B)': r.wire,
        'decoded body (B)': r.body,
      })),
    );
    return {
      requests: rows.length,
      wireBytes: total.wire,
      decodedBytes: total.body,
      shownMs: Math.round(shownMs),
    };
  } finally {
    await browser.close();
  }
}
