import type { ConsoleSignIn } from '@cardfleet/shared';
import { api } from './api/client';

/**
 * The console's public settings (GET /console/config.json, cloud/src/http/console-config.ts):
 * how people sign in here. No secret: the OpenID client is a public client (PKCE).
 */
export type ConsoleConfig = ConsoleSignIn;

export const loadConsoleConfig = () => api.get<ConsoleConfig>('/console/config.json');
