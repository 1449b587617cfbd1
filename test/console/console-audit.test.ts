import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectUsableAtBothSizes, openBrowser, signIn } from '../support/console-browser';
import { pushAndRelease } from '../support/console-fixtures';
import { type ConsoleStack, startConsoleStack } from '../support/console-stack';

let stack: ConsoleStack;
let browser: Browser;
/** The virtual card's serial, as the job's result filed it. */
let serial: string;

async function ok<T>(response: Promise<Response>, status = 200): Promise<T> {
  const answer = await response;
  const text = await answer.text();
  expect(answer.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/**
 * The card's trail: examples/read-serial (it files its result under the card's serial,
 * CardSerialField) pushed, approved by the second admin, released to the office, run on
 * the agent's card; then a checkpoint, so the entries are covered by a signed tree head.
 * (In beforeAll, where expect.poll is not available: the job is polled by hand.)
 */
async function runReadSerial(): Promise<string> {
  await pushAndRelease(stack, 'read-serial');
  const created = await stack.api('POST', '/v1/jobs', 'operator', {
    agentId: stack.agentId,
    encodingId: 'read-serial',
  });
  // 201 queued, or 202 when it was sent to the agent at once.
  expect(created.status).toBeLessThan(300);
  const { jobId } = (await created.json()) as { jobId: string };
  let job: { state: string; result?: { card?: { serial?: string } } } = { state: 'QUEUED' };
  for (const deadline = Date.now() + 60_000; job.state !== 'SUCCEEDED' && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await ok(stack.api('GET', `/v1/jobs/${jobId}`, 'auditor'));
  }
  expect(job.state).toBe('SUCCEEDED');
  await ok(stack.api('POST', '/v1/audit/checkpoint', 'admin'));
  return job.result?.card?.serial ?? '';
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), openBrowser()]);
  serial = await runReadSerial();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function saved(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download]: [Download, unknown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

describe('the console audit page', { timeout: 120_000 }, () => {
  it('lets an auditor find a card by serial, verify its history in the browser against the checkpoint, and export it', async () => {
    expect(serial).toMatch(/^[0-9A-F]{16}$/);
    const page = await signIn(browser, stack, 'auditor', '/audit');
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.getByRole('textbox', { name: 'Card serial' }).fill(serial);
    await page.getByRole('button', { name: 'Search' }).click();
    expect(new URL(page.url()).searchParams.get('cardSerial')).toBe(serial);

    // The card's entries: the job's result, filed under the serial.
    const table = page.getByRole('table', { name: 'Audit entries' });
    await expect.poll(() => table.textContent()).toContain('job.result');
    const rows = table.locator('tbody tr');
    for (const row of await rows.all()) expect(await row.textContent()).toContain(serial);
    await rows
      .first()
      .getByRole('button', { name: /^Details/ })
      .click();
    const detail = await table.locator('.audit-detail').textContent();
    expect(detail).toMatch(/Hash[0-9a-f]{64}/);
    expect(detail).toContain(stack.agentId);

    // The chain: the newest signed checkpoint, with its key id.
    const chain = page.getByRole('region', { name: 'Chain status' });
    await expect.poll(() => chain.textContent()).toMatch(/Latest checkpoint#\d+/);
    const checkpoint = await ok<{ index: number }>(stack.api('GET', '/v1/audit/checkpoint', 'auditor'));

    // Verified here, in the browser: every entry against that checkpoint.
    const history = page.getByRole('region', { name: `History of card ${serial}` });
    await history.getByRole('button', { name: 'Verify in this browser' }).click();
    const result = history.getByTestId('card-history-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/verified against/);
    const summary = (await result.textContent()) ?? '';
    const [, verified, covered] = /(\d+) of (\d+) entr(?:y|ies) verified/.exec(summary) ?? [];
    expect(Number(covered)).toBeGreaterThan(0);
    expect(verified).toBe(covered);
    expect(summary).toContain(`checkpoint #${checkpoint.index} signed by key `);
    const marks = await history.getByRole('listitem').allTextContents();
    expect(marks.length).toBe(Number(covered));
    for (const mark of marks) expect(mark).toMatch(/^✓ Verified/);
    await expectUsableAtBothSizes(page, 'audit page with a verified card history');

    // Exports: what the search keeps, saved from a Blob — the token never in a URL.
    const csv = await saved(page, 'Export CSV');
    expect(csv.name).toMatch(new RegExp(`^cardfleet-audit-${serial}-.*\\.csv$`));
    expect(csv.text.split('\n')[0]).toContain('cardSerial');
    expect(csv.text).toContain(serial);
    const json = await saved(page, 'Export JSON');
    const exported = JSON.parse(json.text) as { items: { cardSerial?: string; action: string }[] };
    expect(exported.items.length).toBeGreaterThan(0);
    for (const item of exported.items) expect(item.cardSerial).toBe(serial);
    for (const text of [csv.text, json.text]) {
      for (const token of Object.values(stack.tokens)) expect(text).not.toContain(token);
      expect(text).not.toMatch(/"?\bpin\b"?\s*[:=]/i);
    }
    for (const url of requested)
      for (const token of Object.values(stack.tokens)) expect(url).not.toContain(token);
    expect(page.problems).toEqual([]);
    await page.context().close();
  });

  it('marks an entry the server changed as failed, with the reason, whatever the server says', async () => {
    const page = await signIn(browser, stack, 'auditor', `/audit?cardSerial=${serial}`);
    // A server that lies: the card's entries come back with their actor changed (the
    // browser checks the entries it shows, whatever copies the proofs carry).
    await page.route('**/v1/audit?**', async (route) => {
      const answer = await route.fetch();
      const found = (await answer.json()) as { items: { actor: string }[] };
      for (const entry of found.items) entry.actor = 'someone-else';
      await route.fulfill({ response: answer, json: found });
    });
    const history = page.getByRole('region', { name: `History of card ${serial}` });
    await history.getByRole('button', { name: 'Verify in this browser' }).click();
    const result = history.getByTestId('card-history-result');
    await expect
      .poll(() => result.textContent(), { timeout: 20_000 })
      .toMatch(/^0 of \d+ entr(y|ies) verified/);
    expect(await result.textContent()).toMatch(/\d+ failed\./);
    const marks = await history.getByRole('listitem').allTextContents();
    expect(marks.some((mark) => /^✗ Failed.*does not match its own hash/.test(mark))).toBe(true);
    await expectAccessible(page, 'audit page with a failed entry');
    await page.context().close();
  });

  it('verifies the whole log on request and shows every field of an entry, accessibly at both sizes', async () => {
    const page = await signIn(browser, stack, 'admin', '/audit');
    const chain = page.getByRole('region', { name: 'Chain status' });
    await chain.getByRole('button', { name: 'Verify the log now' }).click();
    await expect
      .poll(() => chain.textContent(), { timeout: 20_000 })
      .toMatch(/The log verifies: \d+ entries checked/);
    const table = page.getByRole('table', { name: 'Audit entries' });
    await table
      .getByRole('button', { name: /^Details/ })
      .first()
      .click();
    await expectUsableAtBothSizes(page, 'audit page with an open entry');
    expect(page.problems).toEqual([]);
    await page.context().close();
  });

  it("checks the newest checkpoint's signature here, and that it extends the one this browser kept", async () => {
    const page = await signIn(browser, stack, 'auditor', '/audit');
    const chain = page.getByRole('region', { name: 'Chain status' });
    await expect
      .poll(() => chain.getByTestId('checkpoint-signature').textContent(), { timeout: 20_000 })
      .toMatch(/^✓ verified in this browser with the published key /);
    await expect
      .poll(() => chain.getByTestId('checkpoint-since').textContent())
      .toMatch(/^first checkpoint verified in this browser/);
    const kept = await ok<{ index: number }>(stack.api('GET', '/v1/audit/checkpoint', 'auditor'));
    // The log grows (an agent added is audited) and a newer checkpoint covers it.
    await ok(stack.api('POST', '/v1/agents', 'admin', { id: 'audit-grows', office: stack.office }), 201);
    const newer = await ok<{ index: number }>(stack.api('POST', '/v1/audit/checkpoint', 'admin'));
    expect(newer.index).toBeGreaterThan(kept.index);
    await page.reload();
    await expect
      .poll(() => chain.getByTestId('checkpoint-since').textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`^✓ extends checkpoint #${kept.index}, verified here at`));

    // A server whose newer tree does not start with the kept one: the proof fails here.
    await ok(stack.api('POST', '/v1/agents', 'admin', { id: 'audit-grows-2', office: stack.office }), 201);
    await ok(stack.api('POST', '/v1/audit/checkpoint', 'admin'));
    await page.route('**/v1/audit/consistency?**', async (route) => {
      const answer = await route.fetch();
      const proof = (await answer.json()) as { proof: string[] };
      proof.proof = proof.proof.map((hash) => `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`);
      await route.fulfill({ response: answer, json: proof });
    });
    await page.reload();
    await expect
      .poll(() => chain.getByTestId('checkpoint-since').textContent(), { timeout: 20_000 })
      .toMatch(/^✗ checkpoint \d+ does not extend checkpoint \d+: the log was rewritten/);
    await expectAccessible(page, 'audit page with a broken chain');
    await page.context().close();
  });

  it("scopes an operator to its office's entries, without the chain, proofs or exports", async () => {
    const page = await signIn(browser, stack, 'otherOperator', `/audit?cardSerial=${serial}`);
    await expect.poll(() => page.locator('main').textContent()).toContain('No entries match.');
    expect(await page.getByRole('region', { name: 'Chain status' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Export|Verify/ }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Office' }).inputValue()).toBe('paris');
    await expectUsableAtBothSizes(page, "an operator's audit page");
    await page.context().close();
  });
});
