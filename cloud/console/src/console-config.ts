import { api } from './api/client';

/**
 * The console's public settings (GET /console/config.json, cloud/src/http/console-routes.ts):
 * how people sign in here. No secret: the OpenID client is a public client (PKCE).
 */
export interface ConsoleConfig {
  oidc?: { issuer: string; clientId: string; scopes: string; audience?: string };
  localLinks: boolean;
}

export const loadConsoleConfig = () => api.get<ConsoleConfig>('/console/config.json');
