import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectUsableAtBothSizes, openBrowser, signIn } from '../support/console-browser';
import { pushAndRelease } from '../support/console-fixtures';
import { type ConsoleStack, startConsoleStack } from '../support/console-stack';

// The console's jobs and batches pages against `npm start`'s system (cloud, broker,
// enrolled agent of office "local" with a virtual CardOS card): an operator starts jobs
// from the generated form and follows them live; a PIN job waits until the PIN is typed
// on the station's page; an operator of another office sees none of it.
let stack: ConsoleStack;
let browser: Browser;
/** The card's signature PIN (reference 83): each set-pin job changes it. */
let cardPin = '000000';
const APDU_ENCODING = 'read-version';
const PIN_ENCODING = 'set-pin';
const BATCH_ENCODING = 'write-ef-gdo';

type Json = Record<string, unknown>;
const call = async (method: string, path: string, role: keyof ConsoleStack['tokens'], body?: unknown) => {
  const response = await stack.api(method, path, role, body);
  return { status: response.status, body: (await response.json()) as Json };
};

/** The station's PIN page API, the way its page posts (docs/edge-agent.md, "PIN entry at the station"). */
async function station(path: string, body?: unknown): Promise<Response> {
  const link = new URL(stack.stationLink);
  const token = new URLSearchParams(link.hash.slice(1)).get('token') ?? '';
  return fetch(new URL(path, link.origin), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function jobState(jobId: string): Promise<{ state: string; phase?: string }> {
  const job = (await call('GET', `/v1/jobs/${jobId}`, 'admin')).body as {
    state: string;
    progress?: { phase: string };
  };
  return { state: job.state, ...(job.progress ? { phase: job.progress.phase } : {}) };
}

/** Agent, reader, encoding, newest runnable version: the top of the job and batch forms. */
async function chooseWhereAndWhat(page: Page, encodingId: string): Promise<void> {
  await page.getByLabel('Agent').selectOption(stack.agentId);
  await page.getByLabel('Reader').selectOption(stack.reader);
  await page.getByLabel('Encoding').selectOption(encodingId);
  await expect.poll(() => page.getByLabel('Version').inputValue()).not.toBe('');
}

const stateLine = (page: Page) => page.locator('.job-state-line').textContent();

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), openBrowser()]);
  // Pushed by one admin, approved by the other, released to office "local" (docs/releases.md).
  for (const example of [APDU_ENCODING, PIN_ENCODING, BATCH_ENCODING]) await pushAndRelease(stack, example);
}, 120_000);
// A test that failed while a PIN request was open must not leave the agent waiting for it
// (its jobs run one at a time): the request is cancelled at the station.
afterEach(async () => {
  const { pending } = (await (await station('/api/pending')).json()) as { pending: { id: string }[] };
  for (const request of pending) await station(`/api/pending/${request.id}/cancel`, {});
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the console: jobs and batches', () => {
  it("an operator of the agent's office starts a job from the form and watches it live to SUCCEEDED", async () => {
    // A PIN job holds the agent first (its jobs run one at a time), so the operator's job
    // visibly waits as SENT before it runs: the page must change by itself, not on a reload.
    const blocker = await call('POST', '/v1/jobs', 'admin', {
      agentId: stack.agentId,
      encodingId: PIN_ENCODING,
      fields: { PIN_LABEL: 'Signature PIN' },
    });
    expect(blocker.status).toBe(202);
    const blockerId = blocker.body.jobId as string;
    await expect
      .poll(() => jobState(blockerId), { timeout: 20_000 })
      .toMatchObject({ phase: 'waiting-for-pin' });

    const page = await signIn(browser, stack, 'operator', '/jobs/new');
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await chooseWhereAndWhat(page, APDU_ENCODING);
    await page.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/console\/jobs\/(?!new$)[^/]+$/);
    const jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(() => stateLine(page)).toMatch(/sent|queued/);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Job (sent|queued)/);

    const pending = (await (await station('/api/pending')).json()) as {
      pending: { id: string; jobId: string }[];
    };
    const request = pending.pending.find((p) => p.jobId === blockerId);
    const next = '135790';
    const answered = await station(`/api/pending/${request?.id}/answer`, {
      entries: [{ transport: cardPin, pin: next, confirmation: next }],
    });
    expect(answered.status).toBe(204);
    cardPin = next;

    await expect.poll(() => stateLine(page), { timeout: 20_000 }).toMatch(/succeeded/);
    expect(new URL(page.url()).pathname).toBe(`/console/jobs/${jobId}`);
    // Pushed by the cloud (server-sent events), not polled.
    expect(requested).toContain(`/v1/jobs/${jobId}/events`);
    const result = page.locator('.job-result');
    await expect.poll(() => result.textContent()).toContain('9000 — normal processing');
    await page.locator('summary', { hasText: 'APDU trace of Application_1' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('table', { name: /APDU trace/ })
          .locator('tbody tr')
          .count(),
      )
      .toBe(2);
    // The history the page shows went through every state, in order.
    const history = await page
      .getByRole('table', { name: /State history/ })
      .locator('tbody tr')
      .allTextContents();
    expect(history.map((row) => row.split(/\d/)[0]?.trim())).toEqual([
      'queued',
      'sent',
      'in progress',
      'succeeded',
    ]);
    await expectUsableAtBothSizes(page, 'job page with its result');
    expect(page.problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('a PIN job waits "waiting for PIN at the station" until the PIN is typed on the station page, then succeeds', async () => {
    const page = await signIn(browser, stack, 'operator', '/jobs/new');
    await chooseWhereAndWhat(page, PIN_ENCODING);
    // The form is generated from the version's job fields: set-pin takes PIN_LABEL (what the
    // station's dialog calls the PIN); the PINs themselves are typed at the station only.
    await page.getByText('Fields of set-pin').waitFor();
    expect(await page.locator('.job-fields input').count()).toBe(1);
    await page.getByRole('button', { name: 'Start job' }).click();
    await expect.poll(() => page.locator('#field-PIN_LABEL-error').textContent()).toMatch(/required/);
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('field-PIN_LABEL');
    await page.getByLabel('PIN_LABEL', { exact: true }).fill('Signature PIN');
    await expectUsableAtBothSizes(page, 'new job form with its fields');
    await page.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/console\/jobs\/(?!new$)[^/]+$/);
    const progress = page.locator('.job-progress');
    await expect
      .poll(() => progress.textContent(), { timeout: 20_000 })
      .toMatch(/waiting for PIN at the station/i);
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/waiting for PIN at the station/);
    expect(await progress.textContent()).toContain(`reader ${stack.reader}`);
    // It keeps waiting: nothing happens on the card until someone types the PIN.
    await page.waitForTimeout(1500);
    expect(await stateLine(page)).not.toMatch(/succeeded/);
    expect(await progress.textContent()).toMatch(/waiting for PIN at the station/i);

    const stationPage = await (await browser.newContext()).newPage();
    await stationPage.goto(stack.stationLink);
    await stationPage.getByLabel(/^Transport PIN/).fill(cardPin);
    const next = '246801';
    await stationPage.getByLabel('New PIN', { exact: true }).fill(next);
    await stationPage.getByLabel('New PIN again').fill(next);
    await stationPage.getByRole('button', { name: 'Send to card' }).click();
    cardPin = next;

    await expect.poll(() => stateLine(page), { timeout: 20_000 }).toMatch(/succeeded/);
    expect(await progress.textContent()).not.toMatch(/waiting for PIN/i);
    await expect.poll(() => page.locator('.job-result').textContent()).toContain('9000 — normal processing');
    expect(await page.content()).not.toContain(next);
    expect(page.problems).toEqual([]);
    await stationPage.context().close();
    await page.context().close();
  }, 90_000);

  it('an operator of another office sees no agent of "local", cannot open its jobs, and the API refuses its job', async () => {
    const created = await call('POST', '/v1/jobs', 'operator', {
      agentId: stack.agentId,
      encodingId: APDU_ENCODING,
    });
    expect(created.status).toBe(202);
    const jobId = created.body.jobId as string;

    const page = await signIn(browser, stack, 'otherOperator', '/jobs/new');
    await page.getByLabel('Agent').waitFor();
    expect(await page.getByLabel('Agent').locator('option').allTextContents()).toEqual(['Choose an agent']);
    await page.goto(`${stack.url}/console/jobs/${encodeURIComponent(jobId)}`);
    await expect.poll(() => page.locator('main').textContent()).toMatch(/(403|404) (FORBIDDEN|NOT_FOUND)/);
    await page.goto(`${stack.url}/console/jobs`);
    await expect.poll(() => page.locator('main').textContent()).toContain('No jobs match.');
    await expectUsableAtBothSizes(page, 'jobs list (empty)');

    const refused = await call('POST', '/v1/jobs', 'otherOperator', {
      agentId: stack.agentId,
      encodingId: APDU_ENCODING,
    });
    expect([403, 404]).toContain(refused.status);
    expect(page.problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("lists the office's jobs with filters, fitting both sizes", async () => {
    await call('POST', '/v1/jobs', 'operator', { agentId: stack.agentId, encodingId: APDU_ENCODING });
    const page = await signIn(browser, stack, 'operator', '/jobs');
    await expect
      .poll(() => page.getByRole('table', { name: /Jobs/ }).locator('tbody tr').count())
      .toBeGreaterThan(0);
    await page.getByLabel('State').selectOption('SUCCEEDED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?state=SUCCEEDED');
    await expect
      .poll(async () => [...new Set(await page.locator('tbody .badge').allTextContents())])
      .toEqual(['succeeded']);
    await expectUsableAtBothSizes(page, 'jobs list');
    expect(page.problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('starts a batch from the form: a CSV at fault is shown by row and column, a good one opens the batch live', async () => {
    const page = await signIn(browser, stack, 'operator', '/batches');
    await expectUsableAtBothSizes(page, 'batches page');
    await chooseWhereAndWhat(page, BATCH_ENCODING);
    await page.getByLabel('Cards', { exact: true }).fill('1');
    await expect
      .poll(() => page.locator('#batch-csv-hint').textContent())
      .toMatch(/^Columns of write-ef-gdo v1: .*HELLO/);
    await page.getByLabel('CSV (uploaded or pasted)').fill('HELLO,NOPE\nab,cd\n');
    await page.getByRole('button', { name: 'Start batch' }).click();
    await expect.poll(() => page.locator('#batch-csv-error').textContent()).toMatch(/^Row 1, column NOPE: /);

    await page.getByLabel('CSV (uploaded or pasted)').fill('HELLO,WORLD\n4142,4344\n');
    await page.getByRole('button', { name: 'Start batch' }).click();
    await page.waitForURL(/\/console\/batches\/[^/]+$/);
    const counts = page.locator('.batch-counts');
    await expect.poll(() => counts.textContent()).toMatch(/Done\d+Failed\d+Running\d+Remaining\d+/);
    await expect.poll(() => counts.textContent(), { timeout: 20_000 }).toMatch(/Done1Failed0/);
    await expect
      .poll(() => page.getByRole('table', { name: /Cards of the batch/ }).textContent())
      .toContain('succeeded');
    await expectUsableAtBothSizes(page, 'batch page');
    expect(page.problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
