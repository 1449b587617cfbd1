import type { ApplicationHandlers } from '../runner/application-port';
import { apduApplication } from './apdu-application';

/** What a station adds to the APDU handler: PKCS#11 and License need a vendor middleware. */
export type MiddlewareHandlers = Omit<ApplicationHandlers, 'apdu'>;

/**
 * The handler table the job runner dispatches on: APDU applications always run (they
 * need only PC/SC); PKCS#11 and License ones where the station configured them.
 */
export function applicationHandlers(middleware: MiddlewareHandlers = {}): ApplicationHandlers {
  return { apdu: apduApplication, ...middleware };
}
