import { CardfleetError } from '@cardfleet/shared';

/**
 * The parts of an X.509 certificate (RFC 5280 §4.1) a PKCS#11 certificate object
 * carries besides its value: CKA_SUBJECT, CKA_ISSUER (DER of the Names) and
 * CKA_SERIAL_NUMBER (DER of the INTEGER). Tokens such as SoftHSM refuse a certificate
 * object without its subject (CKR_TEMPLATE_INCOMPLETE).
 */
export interface CertificateFields {
  subject: Uint8Array;
  issuer: Uint8Array;
  serialNumber: Uint8Array;
}

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(der: Uint8Array, at: number): Tlv {
  const tag = der[at];
  let length = der[at + 1];
  if (tag === undefined || length === undefined) throw bad();
  let contentStart = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw bad();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[contentStart + i] ?? 0);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > der.length) throw bad();
  return { tag, start: at, contentStart, end };
}

function bad(): CardfleetError {
  return new CardfleetError('CERTIFICATE_INVALID', 'the certificate is not valid DER (X.509)');
}

export function certificateFields(der: Uint8Array): CertificateFields {
  const certificate = readTlv(der, 0);
  const tbs = readTlv(der, certificate.contentStart);
  if (certificate.tag !== 0x30 || tbs.tag !== 0x30) throw bad();
  let field = readTlv(der, tbs.contentStart);
  if (field.tag === 0xa0) field = readTlv(der, field.end); // [0] EXPLICIT version
  const serial = field;
  const signature = readTlv(der, serial.end);
  const issuer = readTlv(der, signature.end);
  const validity = readTlv(der, issuer.end);
  const subject = readTlv(der, validity.end);
  if (serial.tag !== 0x02 || issuer.tag !== 0x30 || subject.tag !== 0x30) throw bad();
  return {
    serialNumber: der.slice(serial.start, serial.end),
    issuer: der.slice(issuer.start, issuer.end),
    subject: der.slice(subject.start, subject.end),
  };
}
