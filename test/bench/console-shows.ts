import { openBrowser } from '../support/chromium';
import { type LiveCloud, progressEvent } from '../support/live-latency';

/**
 * A job's state change in the cloud → the console's job page showing it, in Chromium:
 * the page (/console/jobs/<id>, following the job's live events) is open on a SENT job;
 * the change is made through the function the ingest subscriber calls for the agent's
 * first progress message (SENT → IN_PROGRESS); a MutationObserver in the page notes the
 * moment its state line reads "in progress". Both clocks are this machine's (Date.now,
 * millisecond resolution). Prints p50/p95; asserts nothing.
 */
const WATCH = `new Promise((resolve) => {
  const line = () => document.querySelector('.job-state-line')?.textContent ?? '';
  const seen = () => /in progress/.test(line());
  if (seen()) return resolve(Date.now());
  new MutationObserver((_, observer) => {
    if (seen()) { observer.disconnect(); resolve(Date.now()); }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})`;

export async function timeConsoleShows(live: LiveCloud, n: number): Promise<number[]> {
  const browser = await openBrowser();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${live.local.url}/console/#token=${live.admin}`);
    await page.locator('main h1').first().waitFor();
    const samples: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const jobId = await live.newJob();
      await page.goto(`${live.local.url}/console/jobs/${jobId}`);
      await page.locator('.job-state-line').getByText('sent').waitFor();
      const shown = page.evaluate(WATCH) as Promise<number>;
      // The page's stream is open once it shows the job; give it a moment to settle.
      await page.waitForTimeout(200);
      const changedAt = Date.now();
      await live.local.cloud.progress('agent-1', progressEvent(jobId, 1));
      samples.push((await shown) - changedAt);
    }
    return samples;
  } finally {
    await browser.close();
  }
}
