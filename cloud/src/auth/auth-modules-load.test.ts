import { describe, expect, it } from 'vitest';

/**
 * Every module of the API's authentication loads: its role and identity schemas are
 * built while the module loads, and a schema zod cannot build (a discriminator without
 * its field) would throw at import. Imported inside a test so that such a module fails
 * a test, not only the import of the files that name it (docs/mutation-testing.md).
 */
describe('auth modules', () => {
  it('load, with their schemas built', async () => {
    const identity = await import('./identity');
    expect(
      identity.IdentitySchema.safeParse({ sub: 'otto', role: 'operator', office: 'berlin' }).success,
    ).toBe(true);
    expect(Object.keys(await import('./jwks-verifier')).length).toBeGreaterThan(0);
    expect(Object.keys(await import('./token-lifetime')).length).toBeGreaterThan(0);
    // The default claim mapping is parsed by its own schema while the module loads.
    expect((await import('./claim-mapping')).DEFAULT_CLAIM_MAPPING).toEqual({
      subjectClaim: 'sub',
      roleClaim: 'role',
      officeClaim: 'office',
    });
  });
});
