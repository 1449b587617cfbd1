import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { certificateFields } from './der-certificate';
import { certificateTemplate, rsaKeyPairTemplates } from './pkcs11js-templates';

const der = new Uint8Array(readFileSync(join(import.meta.dirname, '../../../test/fixtures/certs/ca.der')));
const attribute = (template: pkcs11js.Template, type: number) => template.find((a) => a.type === type)?.value;

describe('pkcs11js object templates', () => {
  it('makes a token key pair whose private key signs and stays sensitive, under one id and label', () => {
    const { publicKey, privateKey } = rsaKeyPairTemplates({
      label: 'auth',
      id: '01',
      bits: 2048,
      publicExponent: '0x010001',
    });
    expect(attribute(publicKey, pkcs11js.CKA_MODULUS_BITS)).toBe(2048);
    expect(attribute(publicKey, pkcs11js.CKA_PUBLIC_EXPONENT)).toEqual(Buffer.from([0x01, 0x00, 0x01]));
    for (const template of [publicKey, privateKey]) {
      expect(attribute(template, pkcs11js.CKA_ID)).toEqual(Buffer.from([0x01]));
      expect(attribute(template, pkcs11js.CKA_LABEL)).toBe('auth');
    }
    expect(attribute(privateKey, pkcs11js.CKA_SIGN)).toBe(true);
    expect(attribute(privateKey, pkcs11js.CKA_SENSITIVE)).toBe(true);
  });

  it('carries subject, issuer and serial number of the certificate, and marks a CA as authority', () => {
    const fields = certificateFields(der);
    const ca = certificateTemplate({ id: 'CA', label: 'CA certificate', der, ca: true });
    expect(attribute(ca, pkcs11js.CKA_SUBJECT)).toEqual(Buffer.from(fields.subject));
    expect(attribute(ca, pkcs11js.CKA_ISSUER)).toEqual(Buffer.from(fields.issuer));
    expect(attribute(ca, pkcs11js.CKA_SERIAL_NUMBER)).toEqual(Buffer.from(fields.serialNumber));
    expect(attribute(ca, pkcs11js.CKA_CERTIFICATE_CATEGORY)).toBe(2);
    const user = certificateTemplate({ id: '01', label: 'user', der, ca: false });
    expect(attribute(user, pkcs11js.CKA_CERTIFICATE_CATEGORY)).toBe(1);
  });
});
