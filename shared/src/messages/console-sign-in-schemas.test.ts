import { describe, expect, it } from 'vitest';
import { ConsoleOidcSchema, ConsoleSignInSchema } from './console-sign-in-schemas';
import { expectField, MISSING } from './schema-fields.test-support';

/*
 * The console's sign-in document (docs/console-sign-in.md): strict, so nothing but these
 * members (never a secret) reaches the browser; each limit tried from both sides.
 */

const oidc = {
  issuer: 'https://idp.example/realms/cardfleet',
  clientId: 'cardfleet-console',
  scopes: ['openid', 'profile'],
  audience: 'cardfleet-api',
  resource: 'https://api.example/',
};

describe('the console sign-in document', () => {
  it('parses an OIDC sign-in with every member to itself, and one without a resource', () => {
    expect(ConsoleOidcSchema.parse(oidc)).toEqual(oidc);
    expectField(ConsoleOidcSchema, oidc, ['resource'], {
      good: [MISSING, 'r', 'r'.repeat(500)],
      bad: ['', 'r'.repeat(501)],
    });
  });

  it('checks the issuer is a URL and every string at its limits', () => {
    expectField(ConsoleOidcSchema, oidc, ['issuer'], { bad: ['idp.example', '', MISSING] });
    expectField(ConsoleOidcSchema, oidc, ['clientId'], {
      good: ['c', 'c'.repeat(500)],
      bad: ['', 'c'.repeat(501), MISSING],
    });
    expectField(ConsoleOidcSchema, oidc, ['audience'], {
      good: ['a', 'a'.repeat(500)],
      bad: ['', 'a'.repeat(501), MISSING],
    });
    expectField(ConsoleOidcSchema, oidc, ['scopes'], {
      good: [['openid'], Array.from({ length: 50 }, () => 'openid')],
      bad: [[], Array.from({ length: 51 }, () => 'openid'), MISSING],
    });
    expectField(ConsoleOidcSchema, oidc, ['scopes', 0], {
      good: ['s', 's'.repeat(200)],
      bad: ['', 's'.repeat(201)],
    });
  });

  it('refuses a member it does not know, such as a client secret', () => {
    expect(ConsoleOidcSchema.safeParse({ ...oidc, clientSecret: 's3cret' }).success).toBe(false);
    expect(ConsoleSignInSchema.safeParse({ localLinks: true, token: 'x' }).success).toBe(false);
  });

  it('says whether local sign-in links exist, with or without OIDC', () => {
    expect(ConsoleSignInSchema.parse({ oidc, localLinks: false })).toEqual({ oidc, localLinks: false });
    expect(ConsoleSignInSchema.parse({ localLinks: true })).toEqual({ localLinks: true });
    expect(ConsoleSignInSchema.safeParse({}).success).toBe(false);
    expect(ConsoleSignInSchema.safeParse({ localLinks: 'true' }).success).toBe(false);
    expect(ConsoleSignInSchema.safeParse({ oidc: { ...oidc, extra: 1 }, localLinks: true }).success).toBe(
      false,
    );
  });
});
