import { describe, expect, it } from 'vitest';
import { LOCAL_ISSUER, localIssuer } from './identity';
import { localIdpSettings, localIdpVerifier } from './local-idp';

/** An OpenID provider beside the local issuer (docs/console-sign-in.md, "Locally"). */
describe('the local cloud’s IdP setting', () => {
  it('keeps the local issuer’s tokens working beside the IdP', async () => {
    const local = await localIssuer();
    const verifier = localIdpVerifier(
      { issuer: 'http://127.0.0.1:1', jwksUrl: 'http://127.0.0.1:1/jwks' },
      local,
    );
    expect(await verifier.verify(await local.issue({ sub: 'alice', role: 'admin' }))).toEqual({
      sub: 'alice',
      role: 'admin',
    });
  });

  it('refuses an IdP posing as the local issuer, and a mapping that gives the agent role', async () => {
    const local = await localIssuer();
    expect(() =>
      localIdpVerifier({ issuer: LOCAL_ISSUER, jwksUrl: 'http://127.0.0.1:1/jwks' }, local),
    ).toThrow(RangeError);
    expect(() =>
      localIdpVerifier(
        {
          issuer: 'http://127.0.0.1:1',
          jwksUrl: 'http://127.0.0.1:1/jwks',
          mapping: { roles: { x: 'agent' } } as never,
        },
        local,
      ),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('offers the console an OIDC sign-in only with a client id', () => {
    const idp = { issuer: 'http://127.0.0.1:1', jwksUrl: 'http://127.0.0.1:1/jwks' };
    expect(localIdpSettings(idp)).toEqual({ issuer: idp.issuer, audience: 'cardfleet-api' });
    expect(localIdpSettings({ ...idp, clientId: 'console', resource: 'urn:cardfleet:api' })).toEqual({
      issuer: idp.issuer,
      audience: 'cardfleet-api',
      console: { clientId: 'console', scopes: ['openid'], resource: 'urn:cardfleet:api' },
    });
  });
});
