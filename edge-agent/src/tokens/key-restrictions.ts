import { CardfleetError } from '@cardfleet/shared';
import type { RsaKeyPairRequest } from './token-port';

/**
 * The Gemalto middleware's key restrictions (Gemalto seed, "Deviations from PKCS#11"):
 * RSA keys of 1024 or 2048 bits only, public exponent 0x010001 only. Checked before any
 * PKCS#11 call, so a refused request never reaches the card.
 */
export const SUPPORTED_RSA_BITS = [1024, 2048] as const;

export function assertKeyPairSupported(request: RsaKeyPairRequest): void {
  if (!(SUPPORTED_RSA_BITS as readonly number[]).includes(request.bits)) {
    throw new CardfleetError(
      'KEY_SIZE_UNSUPPORTED',
      `RSA keys of ${request.bits} bits are not supported: use 1024 or 2048`,
    );
  }
  if (request.publicExponent.replace(/^0x/i, '').replace(/^0+/, '').toUpperCase() !== '10001') {
    throw new CardfleetError(
      'KEY_EXPONENT_UNSUPPORTED',
      `public exponent ${request.publicExponent} is not supported: use 010001`,
    );
  }
}
