import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The values examples/idprime-personalise runs with in the personalisation tests: the
 * Gemalto factory Card Manager Key (24 zero bytes), the new CMK of the seed
 * ("123456789012345678901234"), a new user PIN, and the test certificates as base64 DER.
 */
export const FACTORY_CMK = '0'.repeat(48);
export const NEW_CMK = '313233343536373839303132333435363738393031323334';
export const NEW_PIN = '246810';

export const cert = (name: 'user' | 'ca') =>
  readFileSync(join(import.meta.dirname, `../fixtures/certs/${name}.der`)).toString('base64');

/** What the personalisation writes to token card-0, by label. */
export const PERSONALISED_LABELS = ['Authentication key', 'Authentication certificate', 'Issuing CA'];

/**
 * The token's objects as OpenSC's pkcs11-tool lists them after logging in with the
 * new PIN: an independent check of what the personalisation wrote.
 */
export function listObjectsWithNewPin(vendor: { pkcs11Tool(...args: string[]): string }): string {
  return vendor.pkcs11Tool('--token-label', 'card-0', '--login', '--pin', NEW_PIN, '--list-objects');
}
