import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { VIEWPORTS } from './chromium';
import type { ConsoleStack } from './console-stack';

export { CHROMIUM, openBrowser, VIEWPORTS } from './chromium';

/**
 * A new browser context (its own sessionStorage) signed in with the role's link, on the
 * console's start page. Content-Security-Policy violations and page errors are collected
 * on `page.problems`, for tests to check there are none.
 */
export async function signIn(
  browser: Browser,
  stack: ConsoleStack,
  role: keyof ConsoleStack['links'],
  path = '/',
): Promise<Page & { problems: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORTS[0], acceptDownloads: true });
  const page = (await context.newPage()) as Page & { problems: string[] };
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text()))
      page.problems.push(`CSP: ${message.text()}`);
  });
  await page.goto(stack.links[role]);
  await page.locator('main h1').first().waitFor();
  if (path !== '/') {
    await page.goto(`${stack.url}/console${path}`);
    await page.locator('main h1').first().waitFor();
  }
  return page;
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core run in the page (evaluated through the DevTools protocol, which the page's CSP
 * does not govern): no serious or critical violation of WCAG 2.x A/AA rules.
 */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  await page.evaluate(AXE);
  // A string, evaluated in the page (the test's own TypeScript has no DOM types).
  const violations = (await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } })
    .then((result) => result.violations)`)) as AxeViolation[];
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${label}`).toEqual([]);
}

/** The page is no wider than the viewport: nothing to scroll sideways. */
export async function expectNoHorizontalScroll(page: Page, label = page.url()): Promise<void> {
  const { scrollWidth, clientWidth } = (await page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
  )) as { scrollWidth: number; clientWidth: number };
  expect(scrollWidth, `${label}: page width ${scrollWidth} at viewport ${clientWidth}`).toBeLessThanOrEqual(
    clientWidth,
  );
}

/** Both checks at both sizes; the viewport is left at the first size. */
export async function expectUsableAtBothSizes(page: Page, label = page.url()): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await expectNoHorizontalScroll(page, `${label} at ${viewport.width}×${viewport.height}`);
    await expectAccessible(page, `${label} at ${viewport.width}×${viewport.height}`);
  }
  await page.setViewportSize(VIEWPORTS[0]);
}
