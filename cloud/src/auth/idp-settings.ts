import { CardfleetError } from '@cardfleet/shared';
import { type ClaimMapping, parseClaimMapping } from './claim-mapping';

/**
 * The IdP settings beyond its keys, issuer and audience, read from variables named
 * `<prefix>ROLE_CLAIM`, `<prefix>ROLE_MAP`, `<prefix>OFFICE_CLAIM`, `<prefix>SUBJECT_CLAIM`
 * (the claim mapping) and `<prefix>CLIENT_ID`, `<prefix>SCOPES`, `<prefix>RESOURCE` (the
 * console's public client) — `IDP_` in the functions, `CARDFLEET_IDP_` at deploy
 * (docs/console-sign-in.md, "Settings").
 */
type Env = Readonly<Record<string, string | undefined>>;

export interface ConsoleClientSettings {
  clientId: string;
  scopes: string[];
  /** An RFC 8707 resource indicator the IdP needs to issue a token for the API. */
  resource?: string;
}

const MAPPING_NAMES = ['ROLE_CLAIM', 'ROLE_MAP', 'OFFICE_CLAIM', 'SUBJECT_CLAIM'] as const;

/** The claim mapping, or undefined when none of its variables is set (today's `role`/`office`). */
export function readClaimMapping(env: Env, prefix: string): ClaimMapping | undefined {
  const get = (name: (typeof MAPPING_NAMES)[number]) => env[`${prefix}${name}`]?.trim() || undefined;
  if (MAPPING_NAMES.every((name) => get(name) === undefined)) return undefined;
  const map = get('ROLE_MAP');
  const input = {
    ...(get('SUBJECT_CLAIM') ? { subjectClaim: get('SUBJECT_CLAIM') } : {}),
    ...(get('ROLE_CLAIM') ? { roleClaim: get('ROLE_CLAIM') } : {}),
    ...(map ? { roles: parseRoleMap(map, `${prefix}ROLE_MAP`) } : {}),
    ...(get('OFFICE_CLAIM') ? { officeClaim: get('OFFICE_CLAIM') } : {}),
  };
  try {
    return parseClaimMapping(input);
  } catch (cause) {
    throw new CardfleetError(
      'CONFIG_INVALID',
      `environment variables ${prefix}ROLE_CLAIM, ${prefix}ROLE_MAP, ${prefix}OFFICE_CLAIM, ${prefix}SUBJECT_CLAIM: ${(cause as Error).message}`,
    );
  }
}

/**
 * `idpValue=role,idpValue=role` (split at each comma, then at the last `=`), or a JSON
 * object for values that hold a comma (`{"CN=Admins,OU=Groups":"admin"}`).
 */
export function parseRoleMap(text: string, name: string): Record<string, string> {
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, string>;
    } catch {}
    throw new CardfleetError('CONFIG_INVALID', `environment variable ${name} is not a JSON object`);
  }
  const roles: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.lastIndexOf('=');
    const value = pair.slice(0, at).trim();
    if (at <= 0 || value.length === 0)
      throw new CardfleetError('CONFIG_INVALID', `environment variable ${name} must be idpValue=role,…`);
    if (Object.hasOwn(roles, value))
      throw new CardfleetError('CONFIG_INVALID', `environment variable ${name} names an IdP value twice`);
    roles[value] = pair.slice(at + 1).trim();
  }
  return roles;
}

/** The console's public client, or undefined without `<prefix>CLIENT_ID` (no OIDC sign-in). */
export function readConsoleClient(env: Env, prefix: string): ConsoleClientSettings | undefined {
  const clientId = env[`${prefix}CLIENT_ID`]?.trim();
  if (!clientId) return undefined;
  const scopes = (env[`${prefix}SCOPES`]?.trim() || 'openid').split(/[\s,]+/).filter(Boolean);
  // The console asks for an ID token too (OpenID Connect Core 1.0, 3.1.2.1: scope must hold openid).
  if (!scopes.includes('openid'))
    throw new CardfleetError('CONFIG_INVALID', `environment variable ${prefix}SCOPES must include openid`);
  const resource = env[`${prefix}RESOURCE`]?.trim();
  if (resource !== undefined && resource !== '' && !URL.canParse(resource))
    throw new CardfleetError(
      'CONFIG_INVALID',
      `environment variable ${prefix}RESOURCE must be an absolute URI`,
    );
  return { clientId, scopes, ...(resource ? { resource } : {}) };
}
