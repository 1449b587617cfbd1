import type { Browser } from 'playwright-core';
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

describe('the web console: sign-in link, roles, look', { timeout: 90_000 }, () => {
  it('takes the token from the link into the tab alone: never in a request line, the address bar or a log', async () => {
    const requested: string[] = [];
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(stack.links.admin);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Welcome, local-admin');
    expect(page.url()).toBe(`${stack.url}/console/`);
    expect(requested.length).toBeGreaterThan(2);
    for (const url of requested) expect(url).not.toContain(stack.tokens.admin);
    expect(JSON.stringify(stack.logs)).not.toContain(stack.tokens.admin);
    await expect
      .poll(() => page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents())
      .toEqual(['Fleet', 'Encodings', 'Jobs', 'Batches', 'Audit']);
    // A reload keeps the tab signed in (sessionStorage), a new tab of another context does not.
    await page.reload();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Welcome, local-admin');
    await context.close();
  });

  it("offers an operator only its pages, and says so at an admin page's address", async () => {
    const page = await signIn(browser, stack, 'operator');
    expect(
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents(),
    ).toEqual(['Fleet', 'Jobs', 'Batches', 'Audit']);
    await expect
      .poll(() => page.locator('.whoami').textContent())
      .toContain('local-operator · operator · local');
    await page.goto(`${stack.url}/console/encodings`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Not available for your role');
    expect(page.problems).toEqual([]);
    await page.context().close();
  });

  it('signs out for good, and turns a token it cannot use into a sign-in page that says why', async () => {
    const page = await signIn(browser, stack, 'auditor');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Sign in to cardfleet');
    await page.reload();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Sign in to cardfleet');
    await expect.poll(() => page.locator('main').textContent()).toContain('npm start');
    await page.goto(`${stack.url}/console/#token=not-a-token`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/expired|failed/i);
    await page.context().close();
  });

  it('is accessible and fits 1280×800 and 768×1024 without sideways scrolling, within its CSP', async () => {
    const page = await signIn(browser, stack, 'admin');
    await expectUsableAtBothSizes(page, 'start page');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('main h1').waitFor();
    await expectUsableAtBothSizes(page, 'sign-in page');
    expect(page.problems).toEqual([]);
    await page.context().close();
  });
});
