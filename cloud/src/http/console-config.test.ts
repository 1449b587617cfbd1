import { describe, expect, it } from 'vitest';
import { consoleSignIn } from './console-config';

/** What the console may learn before sign-in: how to sign in, nothing secret. */
describe('the console sign-in document', () => {
  it('names the IdP, the public client, the scopes and the API audience', () => {
    expect(
      consoleSignIn({
        idp: {
          issuer: 'https://idp.example/',
          audience: 'cardfleet-api',
          console: { clientId: 'console', scopes: ['openid', 'email'], resource: 'urn:cardfleet:api' },
        },
        localLinks: false,
      }),
    ).toEqual({
      oidc: {
        issuer: 'https://idp.example/',
        clientId: 'console',
        scopes: ['openid', 'email'],
        audience: 'cardfleet-api',
        resource: 'urn:cardfleet:api',
      },
      localLinks: false,
    });
  });

  it('offers no OIDC sign-in without a console client, and local links only when told', () => {
    expect(
      consoleSignIn({
        idp: { issuer: 'https://idp.example/', audience: 'cardfleet-api' },
        localLinks: false,
      }),
    ).toEqual({ localLinks: false });
    expect(consoleSignIn({ localLinks: true })).toEqual({ localLinks: true });
  });

  it('carries nothing but the sign-in fields (a stray setting is not passed on)', () => {
    const settings = {
      idp: {
        issuer: 'https://idp.example/',
        audience: 'cardfleet-api',
        jwksUrl: 'https://idp.example/jwks',
        console: { clientId: 'console', scopes: ['openid'], clientSecret: 'hunter2' },
      },
      localLinks: false,
    };
    expect(JSON.stringify(consoleSignIn(settings))).not.toContain('hunter2');
    expect(JSON.stringify(consoleSignIn(settings))).not.toContain('jwks');
  });
});
