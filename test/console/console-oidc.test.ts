import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../cloud/src/node/start-local-cloud';
import { expectUsableAtBothSizes, openBrowser } from '../support/console-browser';
import { API_RESOURCE, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { freePort } from '../support/ports';

/**
 * Sign-in to the console at an OpenID provider, in Chromium (docs/console.md, "Sign-in
 * with an OpenID provider"): the authorization code flow with PKCE against a local
 * `oidc-provider`, its groups mapped to roles and its office claim to the office.
 */
let idp: TestOidcProvider;
let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
let browser: Browser;
const dataDir = mkdtempSync(join(tmpdir(), 'cardfleet-console-oidc-'));

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'console'], { stdio: 'ignore' });
  // The console's address is the redirect URI the provider must know before the cloud starts.
  const port = await freePort();
  idp = await startOidcProvider({
    redirectUris: [`http://127.0.0.1:${port}/console/`],
    accounts: [
      { sub: 'ada', claims: { groups: ['staff', 'cardfleet-admins'] } },
      { sub: 'otto', claims: { groups: ['cardfleet-operators'], office: 'local' } },
      { sub: 'nobody', claims: { groups: ['staff'], role: 'admin' } },
    ],
  });
  cloud = await startLocalCloud({
    dataDir,
    port,
    idp: {
      issuer: idp.issuer,
      jwksUrl: idp.jwksUrl,
      mapping: {
        roleClaim: 'groups',
        roles: { 'cardfleet-admins': 'admin', 'cardfleet-operators': 'operator' },
        officeClaim: 'office',
      },
      clientId: idp.clientId,
      resource: API_RESOURCE.indicator,
    },
  });
  browser = await openBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
  await idp?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** From the console's sign-in page through the provider's login form and back. */
async function signInAtProvider(login: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${cloud.url}/console/`);
  await page.getByRole('button', { name: "Sign in with your organisation's account" }).click();
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(`${cloud.url}/console/**`);
  return page;
}

describe('console sign-in at an OpenID provider (PKCE)', { timeout: 90_000 }, () => {
  it('offers the provider on its sign-in page, accessible at both sizes', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${cloud.url}/console/`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Sign in to cardfleet');
    await expectUsableAtBothSizes(page, 'sign-in page with a provider');
    await page.context().close();
  });

  it("signs an operator in with the role and office the provider's claims map to", async () => {
    const page = await signInAtProvider('otto');
    await expect.poll(() => page.locator('main h1').textContent(), { timeout: 20_000 }).toBe('Welcome, otto');
    await expect.poll(() => page.locator('.whoami').textContent()).toContain('otto · operator · local');
    // The one-time code is out of the address bar once exchanged.
    expect(page.url()).toBe(`${cloud.url}/console/`);
    expect(
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents(),
    ).not.toContain('Encodings');
    await page.context().close();
  });

  it('signs an admin in from the admin group', async () => {
    const page = await signInAtProvider('ada');
    await expect
      .poll(() => page.locator('.whoami').textContent(), { timeout: 20_000 })
      .toContain('ada · admin');
    await page.context().close();
  });

  it('refuses a token without the mapped claims, even one that says role admin by name', async () => {
    const page = await signInAtProvider('nobody');
    await expect
      .poll(() => page.locator('main h1').textContent(), { timeout: 20_000 })
      .toBe('Sign in to cardfleet');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/expired|failed/i);
    await page.context().close();
  });
});
