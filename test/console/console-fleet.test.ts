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

const agentCard = (page: Page, id: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: id, exact: true }) });

describe('the console fleet page', { timeout: 90_000 }, () => {
  it("shows the office's agent online with its reader, the card's name and ATR, and fits both sizes accessibly", async () => {
    const page = await signIn(browser, stack, 'admin', '/fleet');
    const office = page.getByRole('region', { name: new RegExp(`^Office ${stack.office}\\b`) });
    const card = agentCard(page, stack.agentId);
    await expect.poll(() => card.textContent()).toContain('online');
    const text = (await office.textContent()) ?? '';
    expect(text).toContain('active');
    expect(text).toContain(stack.reader);
    expect(text).toContain('card present');
    expect(text).toMatch(/CardOS/);
    expect(text).toMatch(/Last seen\d/);
    expect(text).toMatch(/Agent version\d+\.\d+\.\d+/);
    // The ATR as the agent read it, in spaced hex (the virtual CardOS card's).
    expect(await card.locator('code').first().textContent()).toMatch(/^3B( [0-9A-F]{2})+$/);
    // The ATR's analysis, computed in the browser by the shared ATR parser.
    await card.getByText('ATR analysis').click();
    const analysis = (await card.locator('details pre').textContent()) ?? '';
    expect(analysis).toMatch(/^ATR: 3B( [0-9A-F]{2})+\n/);
    expect(analysis).toMatch(/Protocols: T=\d/);
    await expectUsableAtBothSizes(page, 'fleet page');
    expect(page.problems).toEqual([]);
    await page.context().close();
  });

  it('asks for presence every 5 s while the tab is visible, and not at all while it is hidden', async () => {
    const page = await signIn(browser, stack, 'auditor', '/fleet');
    let polls = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/agents') polls++;
    });
    await expect.poll(() => polls, { timeout: 8000 }).toBeGreaterThan(0);
    await page.evaluate(`Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'))`);
    await page.waitForTimeout(500);
    const whenHidden = polls;
    await page.waitForTimeout(11_000);
    expect(polls).toBe(whenHidden);
    await page.evaluate(`Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'))`);
    await expect.poll(() => polls, { timeout: 3000 }).toBeGreaterThan(whenHidden);
    await page.context().close();
  });

  it('adds an agent and shows its enrolment code once — not kept in the tab, gone on reload — then revokes it', async () => {
    const page = await signIn(browser, stack, 'admin', '/fleet');
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.getByRole('button', { name: 'Add an agent' }).click();
    await page.getByRole('textbox', { name: 'Agent id' }).fill('desk-2');
    await page.getByRole('combobox', { name: 'Office' }).fill(stack.office);
    await expectUsableAtBothSizes(page, 'fleet page with the add-agent form');
    await page.getByRole('button', { name: 'Add agent' }).click();
    const panel = page.getByRole('region', { name: 'Enrolment code for desk-2' });
    await expect.poll(() => panel.textContent()).toContain('Shown only this once');
    const code = (await panel.getByTestId('enrolment-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    expect(await panel.locator('pre').textContent()).toBe(
      `cardfleet-agent enrol --api ${stack.url} --code ${code}`,
    );
    await page.getByRole('button', { name: 'Copy code' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/Copied|Selected/);
    await expectUsableAtBothSizes(page, 'fleet page with a new enrolment code');
    // The code lives in the page's memory only: not in storage, the address or a request.
    const stored = (await page.evaluate(
      'JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage), location.href])',
    )) as string;
    expect(stored).not.toContain(code);
    for (const url of requested) expect(url).not.toContain(code);
    await page.getByRole('button', { name: /^Done/ }).click();
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.textContent'))
      .toBe('Add an agent');
    await page.reload();
    await agentCard(page, 'desk-2').waitFor();
    expect(await page.locator('main').textContent()).not.toContain(code);
    expect(await agentCard(page, 'desk-2').textContent()).toContain('pending');

    await agentCard(page, 'desk-2').getByRole('button', { name: 'Revoke desk-2' }).click();
    const confirm = page.getByRole('region', { name: 'Revoke desk-2?' });
    expect(await confirm.textContent()).toContain('open jobs end');
    await expectUsableAtBothSizes(page, 'fleet page asking to revoke');
    await confirm.getByRole('button', { name: 'Revoke desk-2' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Revoked' }).textContent())
      .toBe('Revoked desk-2. It had no open jobs.');
    await expect.poll(() => agentCard(page, 'desk-2').textContent()).toContain('revoked');
    expect(await agentCard(page, 'desk-2').getByRole('button').count()).toBe(0);
    expect(page.problems).toEqual([]);
    await page.context().close();
  });

  it("shows an operator of another office none of this office's agents, and no admin actions", async () => {
    const page = await signIn(browser, stack, 'otherOperator', '/fleet');
    await expect.poll(() => page.locator('main').textContent()).toContain('No agents yet.');
    expect(await page.locator('main').textContent()).not.toContain(stack.agentId);
    expect(await page.getByRole('button', { name: 'Add an agent' }).count()).toBe(0);
    const local = await signIn(browser, stack, 'operator', '/fleet');
    await agentCard(local, stack.agentId).waitFor();
    expect(await local.getByRole('button', { name: /Revoke|Add an agent/ }).count()).toBe(0);
    await page.context().close();
    await local.context().close();
  });

  // Last: it revokes the stack's agent.
  it('announces an agent going offline in its live region, and stays quiet while nothing changes', async () => {
    const page = await signIn(browser, stack, 'auditor', '/fleet');
    const announcer = page.getByTestId('presence-announcer');
    await expect.poll(() => agentCard(page, stack.agentId).textContent()).toContain('online');
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    await page.waitForTimeout(6000);
    expect(await announcer.textContent()).toBe('');
    const revoked = await stack.api('POST', `/v1/agents/${stack.agentId}/revoke`, 'admin');
    expect(revoked.status).toBe(200);
    await expect
      .poll(() => announcer.textContent(), { timeout: 12_000 })
      .toBe(`${stack.agentId} is now offline.`);
    await page.context().close();
  });
});
