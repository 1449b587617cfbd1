import { z } from 'zod';

/**
 * What the web console learns before anyone signs in (`GET /console/config.json`,
 * docs/console-sign-in.md): how to sign in, nothing secret. The console is a public
 * OAuth client (RFC 8252-style, no client secret): the authorization code flow with PKCE
 * (RFC 7636) against `issuer`, asking for a token whose `aud` is `audience`.
 */
export const ConsoleOidcSchema = z
  .object({
    /** The IdP's issuer; its `/.well-known/openid-configuration` names the endpoints. */
    issuer: z.url(),
    /** The console's public client id at the IdP. */
    clientId: z.string().min(1).max(500),
    scopes: z.array(z.string().min(1).max(200)).min(1).max(50),
    /** The API's audience: the access token the console sends must carry it in `aud`. */
    audience: z.string().min(1).max(500),
    /** An RFC 8707 resource indicator for IdPs that need one to issue a JWT access token. */
    resource: z.string().min(1).max(500).optional(),
  })
  .strict();
export type ConsoleOidc = z.infer<typeof ConsoleOidcSchema>;

export const ConsoleSignInSchema = z
  .object({
    oidc: ConsoleOidcSchema.optional(),
    /** True on a local cloud: `npm start` prints one sign-in link per role (token in the fragment). */
    localLinks: z.boolean(),
  })
  .strict()
  .meta({ id: 'ConsoleSignIn' });
export type ConsoleSignIn = z.infer<typeof ConsoleSignInSchema>;
