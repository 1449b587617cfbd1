import { CardfleetError } from '@cardfleet/shared';

/**
 * KMS returns ECDSA signatures DER-encoded (SEQUENCE { r INTEGER, s INTEGER });
 * JWS ES256 wants r ‖ s, 32 bytes each (RFC 7518 §3.4).
 */
export function derToJose(der: Uint8Array, size = 32): Uint8Array {
  const fail = () => new CardfleetError('SIGNATURE_INVALID', 'not a DER ECDSA signature');
  if (der[0] !== 0x30) throw fail();
  let at = (der[1] ?? 0) & 0x80 ? 2 + ((der[1] ?? 0) & 0x7f) : 2;
  const integer = () => {
    if (der[at] !== 0x02) throw fail();
    const length = der[at + 1] ?? 0;
    let value = der.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    if (value.length > size) throw fail();
    const out = new Uint8Array(size);
    out.set(value, size - value.length);
    return out;
  };
  const r = integer();
  const s = integer();
  return Uint8Array.of(...r, ...s);
}
