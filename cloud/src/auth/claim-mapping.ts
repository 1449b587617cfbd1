import { CardfleetError } from '@cardfleet/shared';
import { z } from 'zod';
import { type Identity, identityFromClaims } from './identity';

/**
 * How an identity provider's token says who calls the API (docs/console-sign-in.md,
 * "Claim mapping"): which claim names the person, which carries their role(s) and
 * which their office. IdPs put these in different places — Cognito `cognito:groups`,
 * Entra ID `roles` or `groups`, Keycloak `realm_access.roles` — so the mapping is
 * configuration, checked here once, not code.
 *
 * A claim is named by a dotted path (`realm_access.roles` reads
 * `claims.realm_access.roles`); a name with `://` in it (a namespaced claim such as
 * `https://cardfleet.example/roles`) is one claim name, never split.
 *
 * The role `agent` never comes from an IdP: agents are enrolled by the cloud and hold
 * their own keys (docs/security.md, "An enrolled agent").
 */
export const IDP_ROLES = ['admin', 'operator', 'auditor'] as const;
export type IdpRole = (typeof IDP_ROLES)[number];

const ClaimPath = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((path) => path.includes('://') || path.split('.').every((segment) => segment.length > 0), {
    message: 'a claim name or a dotted path without empty segments',
  });

export const ClaimMappingSchema = z
  .object({
    /** The claim naming the person (default `sub`); it becomes the audit trail's actor. */
    subjectClaim: ClaimPath.default('sub'),
    /** The claim whose value (a string, or an array of strings) names the role(s). */
    roleClaim: ClaimPath.default('role'),
    /**
     * IdP value → cardfleet role. Absent: the claim's value must itself be `admin`,
     * `operator` or `auditor` (what a token of the local issuer carries).
     */
    roles: z
      .record(z.string().min(1), z.enum(IDP_ROLES))
      .refine((roles) => Object.keys(roles).length > 0, { message: 'at least one IdP value' })
      .optional(),
    /** The claim whose value (one string) names the office; required for operators. */
    officeClaim: ClaimPath.default('office'),
  })
  .strict();
export type ClaimMapping = z.infer<typeof ClaimMappingSchema>;
export type ClaimMappingInput = z.input<typeof ClaimMappingSchema>;

/** Today's claims as they are: `sub`, `role` (never `agent`) and `office`. */
export const DEFAULT_CLAIM_MAPPING: ClaimMapping = ClaimMappingSchema.parse({});

/** A mapping read from settings; CONFIG_INVALID names what is wrong, never the values. */
export function parseClaimMapping(input: unknown): ClaimMapping {
  const parsed = ClaimMappingSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(mapping)').join(', ');
  throw new CardfleetError('CONFIG_INVALID', `the IdP claim mapping is invalid at ${where}`);
}

/**
 * The identity verified claims map to. Refused:
 *  - no value of the role claim maps to a role → UNAUTHENTICATED (a token of this IdP
 *    for a person cardfleet has no role for);
 *  - values that map to two different roles → ROLE_AMBIGUOUS: no order of groups in a
 *    token decides how much a person may do;
 *  - a role claim or office claim of the wrong shape (an office that is an array or an
 *    object, a role array with non-strings) → UNAUTHENTICATED;
 *  - an operator without an office → OFFICE_REQUIRED (identity.ts).
 */
export function identityFromMappedClaims(claims: unknown, mapping: ClaimMapping): Identity {
  const sub = claimAt(claims, mapping.subjectClaim);
  if (typeof sub !== 'string' || sub.length === 0) throw unauthenticated('the token names no subject');
  const roles = new Set(roleValues(claimAt(claims, mapping.roleClaim)).flatMap((v) => mapRole(v, mapping)));
  if (roles.size === 0) throw unauthenticated('the token carries no role cardfleet maps');
  if (roles.size > 1)
    throw new CardfleetError('ROLE_AMBIGUOUS', 'the token maps to more than one cardfleet role');
  const office = claimAt(claims, mapping.officeClaim);
  if (office !== undefined && typeof office !== 'string')
    throw unauthenticated('the office claim must be one string');
  const [role] = roles;
  // The same schema as any other token: an operator without an office is OFFICE_REQUIRED.
  return identityFromClaims({ sub, role, ...(office ? { office } : {}) });
}

function roleValues(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw unauthenticated('the role claim must be a string or an array of strings');
}

function mapRole(value: string, mapping: ClaimMapping): IdpRole[] {
  if (!mapping.roles) return (IDP_ROLES as readonly string[]).includes(value) ? [value as IdpRole] : [];
  // Own keys only: `constructor` or `__proto__` in a token maps to nothing.
  return Object.hasOwn(mapping.roles, value) ? [mapping.roles[value] as IdpRole] : [];
}

/** The value at a dotted path through own properties of plain objects only. */
export function claimAt(claims: unknown, path: string): unknown {
  const segments = path.includes('://') ? [path] : path.split('.');
  let at: unknown = claims;
  for (const segment of segments) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, segment))
      return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}

// Stryker disable next-line ObjectLiteral: the reason is for logs; the check is the code
const unauthenticated = (reason: string) => new CardfleetError('UNAUTHENTICATED', reason);
