import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateFields } from './der-certificate';

const der = new Uint8Array(readFileSync(join(import.meta.dirname, '../../../test/fixtures/certs/ca.der')));

describe('certificate fields for PKCS#11 objects', () => {
  it('extracts subject, issuer and serial number as DER', () => {
    const fields = certificateFields(der);
    const x509 = new X509Certificate(Buffer.from(der));
    expect(Buffer.from(fields.subject).toString('latin1')).toContain('cardfleet test CA');
    expect(fields.issuer).toEqual(fields.subject); // self-signed
    expect(
      Buffer.from(fields.serialNumber.subarray(2)).toString('hex').replace(/^00/, '').toUpperCase(),
    ).toBe(x509.serialNumber.replace(/^0+/, ''));
  });

  it('refuses bytes that are not a certificate with a typed error', () => {
    expect(() => certificateFields(Uint8Array.of(0x30, 0x03, 0x02, 0x01))).toThrow(
      expect.objectContaining({ code: 'CERTIFICATE_INVALID' }),
    );
  });
});
