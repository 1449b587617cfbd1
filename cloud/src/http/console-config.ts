import { type ConsoleSignIn, ConsoleSignInSchema } from '@cardfleet/shared';
import type { ConsoleClientSettings } from '../auth/idp-settings';

/**
 * The console's public sign-in document (`GET /console/config.json`;
 * docs/console-sign-in.md): the IdP's issuer, the console's public client id, the scopes,
 * the API audience (and resource indicator) when an IdP with a console client is
 * configured; `localLinks` on a local cloud, whose `npm start` prints sign-in links.
 * Nothing in it is secret — a public client has no secret (RFC 7636, section 1).
 */
export function consoleSignIn(settings: {
  idp?: { issuer: string; audience: string; console?: ConsoleClientSettings };
  localLinks: boolean;
}): ConsoleSignIn {
  const { idp } = settings;
  const client = idp?.console;
  return ConsoleSignInSchema.parse({
    ...(idp && client
      ? {
          oidc: {
            issuer: idp.issuer,
            clientId: client.clientId,
            scopes: client.scopes,
            audience: idp.audience,
            ...(client.resource ? { resource: client.resource } : {}),
          },
        }
      : {}),
    localLinks: settings.localLinks,
  });
}
