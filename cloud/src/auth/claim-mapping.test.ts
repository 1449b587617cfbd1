import { describe, expect, it } from 'vitest';
import { claimAt, DEFAULT_CLAIM_MAPPING, identityFromMappedClaims, parseClaimMapping } from './claim-mapping';

/**
 * Claims of an identity provider mapped to a role and an office
 * (docs/console-sign-in.md, "Claim mapping"), and the attacks the mapping stops.
 */
const groups = parseClaimMapping({
  roleClaim: 'groups',
  roles: { 'cardfleet-admins': 'admin', 'cardfleet-operators': 'operator', 'cardfleet-auditors': 'auditor' },
  officeClaim: 'office',
});
const keycloak = parseClaimMapping({
  roleClaim: 'realm_access.roles',
  roles: { 'fleet-admin': 'admin' },
  officeClaim: 'attributes.office',
});

describe('the default mapping (claims as the local issuer writes them)', () => {
  it('takes role and office as they are', () => {
    expect(
      identityFromMappedClaims({ sub: 'otto', role: 'operator', office: 'berlin' }, DEFAULT_CLAIM_MAPPING),
    ).toEqual({ sub: 'otto', role: 'operator', office: 'berlin' });
    expect(identityFromMappedClaims({ sub: 'ada', role: 'auditor' }, DEFAULT_CLAIM_MAPPING)).toEqual({
      sub: 'ada',
      role: 'auditor',
    });
  });

  it('never gives the agent role to a token of an identity provider', () => {
    expect(() =>
      identityFromMappedClaims({ sub: 'a1', role: 'agent', office: 'berlin' }, DEFAULT_CLAIM_MAPPING),
    ).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('refuses an operator without an office as OFFICE_REQUIRED', () => {
    expect(() => identityFromMappedClaims({ sub: 'otto', role: 'operator' }, DEFAULT_CLAIM_MAPPING)).toThrow(
      expect.objectContaining({ code: 'OFFICE_REQUIRED' }),
    );
  });
});

describe('a mapping of groups to roles', () => {
  it('maps a group, in a string or in an array, to its role', () => {
    expect(identityFromMappedClaims({ sub: 'a', groups: 'cardfleet-admins' }, groups)).toEqual({
      sub: 'a',
      role: 'admin',
    });
    expect(
      identityFromMappedClaims(
        { sub: 'o', groups: ['staff', 'cardfleet-operators'], office: 'paris' },
        groups,
      ),
    ).toEqual({ sub: 'o', role: 'operator', office: 'paris' });
  });

  it('reads dotted paths (Keycloak realm roles, an attribute object)', () => {
    expect(
      identityFromMappedClaims(
        {
          sub: 'k',
          realm_access: { roles: ['offline_access', 'fleet-admin'] },
          attributes: { office: 'rome' },
        },
        keycloak,
      ),
    ).toEqual({ sub: 'k', role: 'admin', office: 'rome' });
  });

  it('refuses a token whose groups map to no role', () => {
    for (const claims of [
      { sub: 'x', groups: ['staff'] },
      { sub: 'x', groups: [] },
      { sub: 'x' },
      { sub: 'x', groups: 'CARDFLEET-ADMINS' },
    ])
      expect(() => identityFromMappedClaims(claims, groups)).toThrow(
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      );
  });

  it('stops a role injected as a `role` claim when the mapping reads groups', () => {
    expect(() => identityFromMappedClaims({ sub: 'x', role: 'admin', groups: ['staff'] }, groups)).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
  });

  it('stops a role value that is itself a role name but not a mapped group', () => {
    expect(() => identityFromMappedClaims({ sub: 'x', groups: ['admin'] }, groups)).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
  });

  it('refuses groups that map to two different roles, whatever their order', () => {
    for (const list of [
      ['cardfleet-admins', 'cardfleet-auditors'],
      ['cardfleet-auditors', 'cardfleet-admins'],
    ])
      expect(() => identityFromMappedClaims({ sub: 'x', groups: list }, groups)).toThrow(
        expect.objectContaining({ code: 'ROLE_AMBIGUOUS' }),
      );
    const twoGroupsOneRole = parseClaimMapping({
      roleClaim: 'groups',
      roles: { a: 'auditor', b: 'auditor' },
    });
    expect(identityFromMappedClaims({ sub: 'x', groups: ['a', 'b'] }, twoGroupsOneRole).role).toBe('auditor');
  });

  it('stops an office given as an array (two offices) or an object', () => {
    for (const office of [['berlin', 'paris'], { name: 'berlin' }, 7])
      expect(() =>
        identityFromMappedClaims({ sub: 'o', groups: 'cardfleet-operators', office }, groups),
      ).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('stops role claims of the wrong shape and prototype names', () => {
    for (const value of [{ 0: 'cardfleet-admins' }, ['cardfleet-admins', 1], 1, true])
      expect(() => identityFromMappedClaims({ sub: 'x', groups: value }, groups)).toThrow(
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      );
    for (const value of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(() => identityFromMappedClaims({ sub: 'x', groups: [value] }, groups)).toThrow(
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      );
  });

  it('refuses a token without a subject', () => {
    for (const sub of [undefined, '', 5])
      expect(() => identityFromMappedClaims({ sub, groups: 'cardfleet-admins' }, groups)).toThrow(
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      );
  });
});

describe('the mapping itself', () => {
  it('cannot map an IdP value to the agent role, nor hold an unknown key', () => {
    expect(() => parseClaimMapping({ roleClaim: 'groups', roles: { bots: 'agent' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('roles.bots') }),
    );
    expect(() => parseClaimMapping({ roleClaim: 'groups', role: { x: 'admin' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => parseClaimMapping({ roles: {} })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => parseClaimMapping({ roleClaim: 'a..b' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('reads a namespaced claim name with :// whole and does not walk prototypes', () => {
    const claims = { 'https://cardfleet.example/roles': ['x'], a: { b: 'c' } };
    expect(claimAt(claims, 'https://cardfleet.example/roles')).toEqual(['x']);
    expect(claimAt(claims, 'a.b')).toBe('c');
    expect(claimAt(claims, 'a.b.length')).toBeUndefined();
    expect(claimAt(claims, 'constructor')).toBeUndefined();
    expect(claimAt({ a: ['b'] }, 'a.0')).toBeUndefined();
  });
});
