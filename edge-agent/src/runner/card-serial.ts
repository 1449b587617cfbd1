import type { CardIdentity, EncodingDescription } from '@cardfleet/shared';
import { settingText } from '@cardfleet/shared';
import type { FieldStore } from './field-store';

/**
 * Which serial a run files its card under (docs/encoding-format.md, CardSerialField;
 * docs/cloud.md, the results-by-card index), in this order:
 *   1. the PKCS#11 token's serial, as C_GetTokenInfo gave it (a PKCS#11 or License
 *      application ran on the card) — the middleware's own identity of the card;
 *   2. the output field the encoding names with CardSerialField, filled by a script
 *      line (GET DATA, or the GlobalPlatform CPLC read, GET DATA tag 9F7F);
 *   3. none: only the ATR identifies the card, and the result says so.
 * PKCS#11 pads the serial with spaces (v2.40 §3.2 CK_TOKEN_INFO): trimmed here, the
 * padded value stays in `tokenSerial`.
 */
export interface TokenIdentity {
  model: string;
  serial: string;
}

export type SerialFields = Pick<CardIdentity, 'serial' | 'serialSource' | 'tokenModel' | 'tokenSerial'>;

/** Longest serial filed (the result schema's limit). */
const MAX_SERIAL_CHARS = 128;

export function cardSerial(
  encoding: Pick<EncodingDescription, 'settings'>,
  fields: Pick<FieldStore, 'get' | 'isSecret'>,
  token: TokenIdentity | undefined,
): SerialFields {
  const tokenSerial = token?.serial.trim();
  if (token && tokenSerial)
    return {
      tokenModel: token.model,
      tokenSerial: token.serial,
      serial: tokenSerial.slice(0, MAX_SERIAL_CHARS),
      serialSource: 'pkcs11-token',
    };
  const field = settingText(encoding.settings.CardSerialField);
  // A secret field is never filed in the clear (bundle validation refuses it too).
  const value = field && !fields.isSecret(field) ? fields.get(field)?.trim() : undefined;
  if (value) return { serial: value.slice(0, MAX_SERIAL_CHARS), serialSource: 'encoding-field' };
  return { serialSource: 'none' };
}
