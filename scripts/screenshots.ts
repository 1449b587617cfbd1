import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { silentLogger } from '@cardfleet/shared';
import type { Page } from 'playwright-core';
import { openBrowser } from '../test/support/chromium';
import { startLocalSystem } from './local-system';

/**
 * `npm run screenshots`: a picture of each page of the web console and of the station's
 * PIN page, for docs/console.md (written to docs/console/*.png). It starts its own local
 * system (in a temporary folder, the in-process virtual card), sets up through the API
 * what the pages show — an encoding pushed, approved and released, a job run, a PIN job
 * waiting at the station — and drives Debian's Chromium. The tests never write these
 * files; run this by hand after a change to the console's look.
 */
const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs/console');
execFileSync(process.execPath, ['scripts/build.mjs', 'console'], { cwd: root, stdio: 'inherit' });
const dataDir = mkdtempSync(join(tmpdir(), 'cardfleet-screenshots-'));
const system = await startLocalSystem({ dataDir, cloudLogger: silentLogger, agentLogger: silentLogger });
const url = system.cloud.url;
const browser = await openBrowser();

const api = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
};
const files = (example: string) =>
  readdirSync(join(root, 'examples', example)).map((name) => ({
    name,
    base64: readFileSync(join(root, 'examples', example, name)).toString('base64'),
  }));
const { admin, admin2, operator } = system.tokens;

async function release(example: string) {
  const { version } = (await api('POST', '/v1/encodings', admin, { id: example, files: files(example) })) as {
    version: number;
  };
  await api('POST', `/v1/encodings/${example}/versions/${version}/approve`, admin2, {});
  await api('POST', `/v1/encodings/${example}/versions/${version}/releases`, admin, { stages: [['local']] });
}

async function finished(jobId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 120; i += 1) {
    const job = await api('GET', `/v1/jobs/${jobId}`, operator);
    if (!['QUEUED', 'SENT', 'IN_PROGRESS'].includes(String(job.state))) return job;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${jobId} did not end`);
}

async function shoot(page: Page, name: string, wait?: () => Promise<unknown>) {
  await page.locator('main h1').first().waitFor();
  await wait?.();
  // Not 'networkidle': a job page keeps its live-event stream open.
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  console.log(`docs/console/${name}.png`);
}

async function signedIn(role: keyof typeof system.consoleLinks, width = 1280, height = 800) {
  const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
  await page.goto(system.consoleLinks[role]);
  await page.locator('main h1').first().waitFor();
  return page;
}

try {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await release('read-serial');
  await release('set-pin');
  await api('POST', '/v1/encodings', admin, { id: 'read-version', files: files('read-version') });
  const job = await finished(
    String(
      (await api('POST', '/v1/jobs', operator, { agentId: system.agent.agentId, encodingId: 'read-serial' }))
        .jobId,
    ),
  );
  const serial = String((job.result as { card?: { serial?: string } } | undefined)?.card?.serial ?? '');
  await api('POST', '/v1/audit/checkpoint', admin, {});

  const signIn = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn.goto(`${url}/console/`);
  await shoot(signIn, 'sign-in');

  const page = await signedIn('admin');
  await shoot(page, 'home');
  await page.goto(`${url}/console/fleet`);
  await shoot(page, 'fleet', () => page.getByText(system.agent.agentId).first().waitFor());
  await page.goto(`${url}/console/encodings`);
  await shoot(page, 'encodings');
  await page.goto(`${url}/console/encodings/read-serial`);
  await shoot(page, 'encoding', () => page.getByText('Versions').first().waitFor());

  const operatorPage = await signedIn('operator');
  await operatorPage.goto(`${url}/console/jobs`);
  await shoot(operatorPage, 'jobs');
  await operatorPage.goto(`${url}/console/jobs/new`);
  await shoot(operatorPage, 'job-new');
  await operatorPage.goto(`${url}/console/jobs/${job.jobId}`);
  await shoot(operatorPage, 'job', () => operatorPage.locator('.job-result').first().waitFor());

  // A PIN job waiting at the station: the console's job page and the station's page.
  const pinJob = await api('POST', '/v1/jobs', operator, {
    agentId: system.agent.agentId,
    encodingId: 'set-pin',
    fields: { PIN_LABEL: 'Signature PIN' },
  });
  await operatorPage.goto(`${url}/console/jobs/${pinJob.jobId}`);
  await shoot(operatorPage, 'job-waiting-for-pin', () =>
    operatorPage
      .getByText(/waiting for PIN at the station/i)
      .first()
      .waitFor({ timeout: 30_000 }),
  );
  const station = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await station.goto(system.agent.consoleLink);
  await station.getByRole('button', { name: 'Send to card' }).waitFor();
  await shoot(station, 'station-pin-page');
  const narrowStation = await (
    await browser.newContext({ viewport: { width: 768, height: 1024 } })
  ).newPage();
  await narrowStation.goto(system.agent.consoleLink);
  await narrowStation.getByRole('button', { name: 'Send to card' }).waitFor();
  await shoot(narrowStation, 'station-pin-page-768');

  await operatorPage.goto(`${url}/console/batches`);
  await shoot(operatorPage, 'batches');

  const auditor = await signedIn('auditor');
  await auditor.goto(`${url}/console/audit?cardSerial=${encodeURIComponent(serial)}`);
  await auditor.getByRole('button', { name: 'Verify in this browser' }).click();
  await shoot(auditor, 'audit', () =>
    auditor
      .getByText(/verified against checkpoint/)
      .first()
      .waitFor(),
  );
  const narrow = await signedIn('auditor', 768, 1024);
  await narrow.goto(`${url}/console/audit?cardSerial=${encodeURIComponent(serial)}`);
  await shoot(narrow, 'audit-768');
} finally {
  await browser.close();
  await system.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
