import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConsoleOidcSchema, ConsoleSignInSchema } from './console-sign-in-schemas';

/*
 * The console's sign-in document (docs/console-sign-in.md): strict, so nothing but these
 * members (never a secret) reaches the browser; each limit tried from both sides.
 */

const MISSING = Symbol('missing');
type Path = readonly (string | number)[];

/** A copy of `base` with the value at `path` replaced (or removed: MISSING). */
function variant<T>(base: T, path: Path, value: unknown): T {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === MISSING) delete at[last];
  else at[last] = value;
  return copy as T;
}

/** Each good value at `path` parses to the whole value unchanged; each bad one is refused. */
function expectField(
  schema: z.ZodType,
  base: unknown,
  path: Path,
  values: { good?: readonly unknown[]; bad?: readonly unknown[] },
) {
  for (const value of values.good ?? []) {
    const input = variant(base, path, value);
    expect(schema.safeParse(input), `${path.join('.')} = ${String(value)}`).toEqual({
      success: true,
      data: input,
    });
  }
  for (const value of values.bad ?? [])
    expect(schema.safeParse(variant(base, path, value)).success, `${path.join('.')} = ${String(value)}`).toBe(
      false,
    );
}
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
