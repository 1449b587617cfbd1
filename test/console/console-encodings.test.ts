import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsableAtBothSizes, openBrowser, signIn } from '../support/console-browser';
import { type ConsoleStack, startConsoleStack } from '../support/console-stack';

let stack: ConsoleStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), openBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const example = (name: string) => readFileSync(join(import.meta.dirname, '../../examples', name), 'utf8');
const READ_VERSION_INI = example('read-version/encoding.ini');
const READ_VERSION_APDU = example('read-version/read_version.apdu');
// Line 2 of the script, its last hex digit made a G: column 30 (examples/read-version/read_version.apdu).
const BROKEN_APDU = READ_VERSION_APDU.replace(
  'RAW[CARDOS_VERSION]:00CA018202',
  'RAW[CARDOS_VERSION]:00CA01820G',
);

const text = async (page: Page, selector: string) =>
  (await page.locator(selector).first().textContent()) ?? '';
const heading = (page: Page) => page.locator('main h1').textContent();

async function push(id: string, files: Record<string, string>): Promise<void> {
  const response = await stack.api('POST', '/v1/encodings', 'admin', {
    id,
    files: Object.entries(files).map(([name, body]) => ({
      name,
      base64: Buffer.from(body).toString('base64'),
    })),
  });
  expect(response.status).toBe(201);
}

describe('the encodings pages', () => {
  it('an admin uploads a bundle with an error, sees it at its line, fixes it; a second admin approves and releases it to one office', async () => {
    const id = 'read-version-console';
    const admin = await signIn(browser, stack, 'admin', '/encodings');
    await expectUsableAtBothSizes(admin, 'the encodings list');
    await admin.getByRole('button', { name: 'Upload a bundle' }).click();
    await admin.getByLabel('Encoding id').fill(id);
    await admin.getByLabel('Choose files').setInputFiles([
      { name: 'encoding.ini', mimeType: 'text/plain', buffer: Buffer.from(READ_VERSION_INI) },
      { name: 'read_version.apdu', mimeType: 'text/plain', buffer: Buffer.from(BROKEN_APDU) },
    ]);
    await admin.getByRole('button', { name: 'Send the bundle' }).click();

    // Every problem listed at its file:line:col; the first one opened: its line highlighted, the problem beside it.
    const problem = admin.getByRole('button', { name: /read_version\.apdu:2:30/ });
    await problem.waitFor();
    expect(await admin.locator('.problem-list > li').count()).toBe(1);
    expect(await problem.textContent()).toContain("APDU: 'G' is not a hex digit");
    expect(await problem.getAttribute('aria-pressed')).toBe('true');
    const line = admin.locator('.source-line-current');
    expect(await line.getAttribute('data-line')).toBe('2');
    expect(await line.locator('.source-text').textContent()).toContain('RAW[CARDOS_VERSION]:00CA01820G');
    expect(await line.locator('.source-note').textContent()).toContain(
      "col 30: APDU: 'G' is not a hex digit",
    );
    // The keyboard user lands on that line.
    await expect
      .poll(() => admin.evaluate('document.activeElement && document.activeElement.dataset.line'))
      .toBe('2');
    await expectUsableAtBothSizes(admin, 'the refused upload');

    // "Edit line 2" puts the caret on that line of the file's textarea; the fix is typed there and sent again.
    await admin.getByRole('button', { name: 'Edit line 2 of read_version.apdu' }).click();
    // (The editor moves the caret in an effect, after the click's render: poll for it.)
    await expect
      .poll(() =>
        admin.evaluate(
          '(() => { const t = document.activeElement; return t.value === undefined ? "" : t.value.slice(t.selectionStart, t.selectionEnd); })()',
        ),
      )
      .toBe(BROKEN_APDU.split('\n')[1]);
    await admin.getByLabel('Text of read_version.apdu').fill(READ_VERSION_APDU);
    await admin.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => heading(admin)).toBe(`Encoding ${id}`);
    expect(new URL(admin.url()).searchParams.get('version')).toBe('1');
    await expect.poll(() => text(admin, 'tbody tr')).toMatch(/v1\s*draft/);

    // Four eyes: the admin who pushed it is refused, in words that say what to do.
    await admin.getByRole('button', { name: 'Approve version 1' }).click();
    await expect
      .poll(() => text(admin, '.note-error'))
      .toContain('You pushed version 1, so you cannot approve it.');
    expect(await text(admin, '.note-error')).toContain('SELF_APPROVAL');
    await expectUsableAtBothSizes(admin, 'the encoding page of a draft');

    // A second admin approves it and releases it to the office "local" alone.
    const admin2 = await signIn(browser, stack, 'admin2', `/encodings/${id}`);
    await admin2.getByRole('button', { name: 'Approve version 1' }).click();
    await expect.poll(() => text(admin2, '.note-good')).toContain('Version 1 is approved.');
    await admin2.getByLabel('Offices, stage by stage').fill(stack.office);
    await admin2.getByRole('button', { name: 'Release version 1' }).click();
    await expect.poll(() => text(admin2, '.release-offices')).toBe(stack.office);
    expect(await text(admin2, '.release h3')).toMatch(/Version 1\s*active/);
    await expect.poll(() => text(admin2, 'tbody tr')).toMatch(/v1\s*released/);
    const runnable = await stack.api('GET', `/v1/encodings/${id}/runnable?office=${stack.office}`, 'admin');
    expect(await runnable.json()).toMatchObject({ versions: [1], releaseState: 'ACTIVE' });
    const elsewhere = await stack.api('GET', `/v1/encodings/${id}/runnable?office=paris`, 'admin');
    expect(await elsewhere.json()).toMatchObject({ versions: [] });
    await expectUsableAtBothSizes(admin2, 'the encoding page of a release');
    expect([...admin.problems, ...admin2.problems]).toEqual([]);
    await admin.context().close();
    await admin2.context().close();
  }, 180_000);

  it('shows two versions side by side with their secrets redacted, inline on a narrow screen', async () => {
    const id = 'gemalto-console-diff';
    const v1 = example('gemalto-pkcs11/encoding.ini');
    const newKey = '414243444546474849505152535455565758596061626364';
    const v2 = v1
      .replace('313233343536373839303132333435363738393031323334', newKey)
      .replace('KeySize=2048', 'KeySize=1024');
    await push(id, { 'encoding.ini': v1 });
    await push(id, { 'encoding.ini': v2 });
    const admin = await signIn(browser, stack, 'admin', `/encodings/${id}`);
    await admin.getByRole('button', { name: 'Compare' }).click();
    const table = admin.locator('table.diff-columns');
    await table.waitFor();
    const changed = table.locator('tr', { hasText: 'KeySize' });
    expect(await changed.locator('td.diff-removed code').textContent()).toBe('KeySize=2048');
    expect(await changed.locator('td.diff-added code').textContent()).toBe('KeySize=1024');
    const page = (await admin.locator('main').textContent()) ?? '';
    expect(page).not.toContain(newKey);
    expect(page).not.toContain('313233343536373839303132333435363738393031323334');
    expect(page).toContain('[REDACTED]');
    await expectUsableAtBothSizes(admin, 'the diff');
    await admin.setViewportSize({ width: 768, height: 1024 });
    expect(await table.isVisible()).toBe(false);
    expect(await admin.locator('ol.diff-inline li.diff-added').first().textContent()).toContain(
      'KeySize=1024',
    );
    expect(admin.problems).toEqual([]);
    await admin.context().close();
  }, 90_000);

  it('halts and resumes a release behind a confirmation the keyboard answers', async () => {
    const id = 'read-version-console-halt';
    await push(id, { 'encoding.ini': READ_VERSION_INI, 'read_version.apdu': READ_VERSION_APDU });
    expect((await stack.api('POST', `/v1/encodings/${id}/versions/1/approve`, 'admin2')).status).toBe(200);
    const created = await stack.api('POST', `/v1/encodings/${id}/versions/1/releases`, 'admin2', {
      stages: [[stack.office], ['*']],
    });
    expect(created.status).toBe(201);
    const admin = await signIn(browser, stack, 'admin', `/encodings/${id}`);
    const halt = admin.getByRole('button', { name: 'Halt…' });
    await halt.focus();
    await admin.keyboard.press('Enter');
    // The dialog opens on its safe answer; Escape closes it and gives focus back.
    await expect.poll(() => admin.evaluate('document.activeElement.textContent')).toBe('Cancel');
    await expectUsableAtBothSizes(admin, 'the halt confirmation');
    await admin.keyboard.press('Escape');
    await expect.poll(() => admin.evaluate('document.activeElement.textContent')).toBe('Halt…');
    await admin.keyboard.press('Enter');
    await admin.getByLabel(/Reason/).fill('canary cards came back wrong');
    await admin.getByRole('button', { name: 'Halt the release' }).click();
    await expect.poll(() => text(admin, '.release h3')).toMatch(/halted/);
    expect(await text(admin, '.release .note-error')).toContain('canary cards came back wrong');
    await admin.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => text(admin, '.release h3')).toMatch(/active/);
    await admin.getByRole('button', { name: 'Promote to every office' }).click();
    await expect.poll(() => text(admin, '.release-offices')).toBe(`${stack.office}, every office`);
    const release = (await (await stack.api('GET', `/v1/releases?encodingId=${id}`, 'admin')).json()) as {
      items: { history: { action: string; by: string }[] }[];
    };
    expect(release.items[0]?.history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['halt', 'resume', 'promote']),
    );
    expect(admin.problems).toEqual([]);
    await admin.context().close();
  }, 90_000);

  it("dry-runs a version on the agent's virtual card and shows its APDU trace", async () => {
    const id = 'read-version-console-dry';
    await push(id, { 'encoding.ini': READ_VERSION_INI, 'read_version.apdu': READ_VERSION_APDU });
    const admin = await signIn(browser, stack, 'admin', `/encodings/${id}`);
    await admin.getByLabel('Agent').selectOption(stack.agentId);
    await admin.getByRole('button', { name: 'Start the dry run' }).click();
    const follow = admin.getByRole('link', { name: 'Follow the dry run' });
    await follow.waitFor();
    const href = (await follow.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/console\/jobs\/[0-9a-f-]+$/);
    // A job flagged dry-run: it runs on the agent's in-process card, never on a reader's card.
    const job = await stack.api('GET', `/v1/jobs/${href.split('/').pop()}`, 'admin');
    expect(await job.json()).toMatchObject({ dryRun: true, encoding: { id, version: 1 } });
    await expect.poll(() => text(admin, '.job-trace'), { timeout: 30_000 }).toContain('Result: succeeded');
    const rows = admin.locator('.job-trace tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toMatch(/2\s*00 CA 01 82 02\s*9000/);
    await expectUsableAtBothSizes(admin, 'the dry run');
    expect(admin.problems).toEqual([]);
    await admin.context().close();
  }, 60_000);
});
