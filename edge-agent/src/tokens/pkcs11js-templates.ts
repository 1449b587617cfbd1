import { parseHex } from '@cardfleet/shared';
import * as pkcs11js from 'pkcs11js';
import { certificateFields } from './der-certificate';
import type { RsaKeyPairRequest, TokenSession } from './token-port';

/**
 * The attribute templates the pkcs11js adapter creates objects with (PKCS#11 §4):
 * an RSA key pair on the token — the public key verifies, the private key signs and is
 * private and sensitive — and an X.509 certificate object with the subject, issuer and
 * serial number that tokens such as SoftHSM require.
 */
export function rsaKeyPairTemplates(request: RsaKeyPairRequest): {
  publicKey: pkcs11js.Template;
  privateKey: pkcs11js.Template;
} {
  const id = Buffer.from(parseHex(request.id, 'key id'));
  return {
    publicKey: [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: request.label },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_VERIFY, value: true },
      { type: pkcs11js.CKA_MODULUS_BITS, value: request.bits },
      {
        type: pkcs11js.CKA_PUBLIC_EXPONENT,
        value: Buffer.from(parseHex(request.publicExponent.replace(/^0x/i, ''))),
      },
    ],
    privateKey: [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: request.label },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_SIGN, value: true },
    ],
  };
}

export function certificateTemplate(
  certificate: Parameters<TokenSession['writeCertificate']>[0],
): pkcs11js.Template {
  const fields = certificateFields(certificate.der);
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: certificate.label },
    { type: pkcs11js.CKA_ID, value: Buffer.from(parseHex(certificate.id, 'certificate id')) },
    { type: pkcs11js.CKA_VALUE, value: Buffer.from(certificate.der) },
    { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(fields.subject) },
    { type: pkcs11js.CKA_ISSUER, value: Buffer.from(fields.issuer) },
    { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(fields.serialNumber) },
    // CKA_CERTIFICATE_CATEGORY 2 = authority (PKCS#11 §4.6.2).
    { type: pkcs11js.CKA_CERTIFICATE_CATEGORY, value: certificate.ca ? 2 : 1 },
  ];
}
