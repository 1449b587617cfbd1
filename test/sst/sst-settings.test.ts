import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deploy,
  functions,
  installSstFakes,
  loadSstConfig,
  recorded,
  SETTINGS,
  type SstConfig,
  uninstallSstFakes,
} from './sst-fakes';

// A deploy without its settings must stop before creating anything, naming what is
// missing — not deploy functions that fail at their first request.
let config: SstConfig;

beforeAll(async () => {
  installSstFakes();
  config = await loadSstConfig();
});
afterAll(uninstallSstFakes);

describe('deploy settings of sst.config.ts', () => {
  it('stops the deploy before any resource when the IdP key set URL is missing, naming the setting', async () => {
    const { CARDFLEET_IDP_JWKS_URL: _url, ...rest } = SETTINGS;
    await expect(deploy(config, rest)).rejects.toThrow(
      'cardfleet: set CARDFLEET_IDP_JWKS_URL before deploying (docs/deploy.md, "Settings")',
    );
    expect(recorded).toEqual([]);
  });

  it('names every missing or blank setting at once', async () => {
    await expect(deploy(config, { CARDFLEET_IDP_JWKS_URL: ' ', CARDFLEET_IDP_ISSUER: '' })).rejects.toThrow(
      'set CARDFLEET_IDP_JWKS_URL, CARDFLEET_IDP_ISSUER before deploying',
    );
    expect(recorded).toEqual([]);
  });

  it('refuses a key set URL over plain HTTP, where the network could choose the IdP keys', async () => {
    await expect(
      deploy(config, { ...SETTINGS, CARDFLEET_IDP_JWKS_URL: 'http://idp.example.com/jwks.json' }),
    ).rejects.toThrow('CARDFLEET_IDP_JWKS_URL must be an https:// URL');
    expect(recorded).toEqual([]);
  });

  it('passes the settings to the functions, with the audience the IdP is told to use', async () => {
    await deploy(config, { ...SETTINGS, CARDFLEET_IDP_AUDIENCE: 'fleet-api' });
    expect(functions().get('Api')?.environment).toMatchObject({
      IDP_JWKS_URL: SETTINGS.CARDFLEET_IDP_JWKS_URL,
      IDP_ISSUER: SETTINGS.CARDFLEET_IDP_ISSUER,
      IDP_AUDIENCE: 'fleet-api',
    });
  });

  it('passes the claim mapping and the console client on when set, and stops a mapping that gives the agent role', async () => {
    await deploy(config, {
      ...SETTINGS,
      CARDFLEET_IDP_ROLE_CLAIM: 'groups',
      CARDFLEET_IDP_ROLE_MAP: 'fleet-admins=admin',
      CARDFLEET_IDP_CLIENT_ID: 'console',
    });
    expect(functions().get('Api')?.environment).toMatchObject({
      IDP_ROLE_CLAIM: 'groups',
      IDP_ROLE_MAP: 'fleet-admins=admin',
      IDP_CLIENT_ID: 'console',
    });
    expect(functions().get('Api')?.environment).not.toHaveProperty('IDP_OFFICE_CLAIM');
    await expect(deploy(config, { ...SETTINGS, CARDFLEET_IDP_ROLE_MAP: 'bots=agent' })).rejects.toThrow(
      'IDP_ROLE_MAP',
    );
  });
});
