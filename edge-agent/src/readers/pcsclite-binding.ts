import { createRequire } from 'node:module';
import { CardfleetError } from '@cardfleet/shared';
import type pcscliteFactory from 'pcsclite';

/**
 * Lazy loader for the optional `pcsclite` native binding. It is an
 * optionalDependency (it only builds where libpcsclite-dev is installed), so nothing
 * may import it at module load: everything that does not touch PC/SC keeps working
 * on a machine without it.
 */
export type PcscLite = ReturnType<typeof pcscliteFactory>;
export type PcscLiteFactory = typeof pcscliteFactory;

let cached: PcscLiteFactory | undefined;

export function loadPcsclite(): PcscLiteFactory {
  if (cached) return cached;
  try {
    cached = createRequire(import.meta.url)('pcsclite') as PcscLiteFactory;
    return cached;
  } catch (cause) {
    throw new CardfleetError(
      'PCSC_UNAVAILABLE',
      'the pcsclite binding is not installed: install libpcsclite-dev and pcscd, then run `npm install`',
      { cause },
    );
  }
}
