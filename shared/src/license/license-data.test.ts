import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import {
  addDays,
  BATCH_CARD_AID_HEX,
  decodeLicenseStatus,
  encodeLicenseStatus,
  GENERATE_LICENSE_LC,
  GENERATE_LICENSE_LE,
  generateLicenseCommand,
  LICENSE_ATTRIBUTE,
  LICENSE_DATA_LENGTH,
  LICENSE_STATUS_LENGTH,
  licenseInput,
  mintLicense,
  NO_DATE_LIMIT,
  parseGenerateLicenseResponse,
  readLicense,
  selectBatchApplicationCommand,
  tokenInfoField,
} from './license-data';

const ascii = (s: string) => new TextEncoder().encode(s);

function codeOf(run: () => unknown): { code: string; message: string } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof CardfleetError) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
}

describe('license data constants', () => {
  it('match the license seed lengths and the vendor attribute', () => {
    expect(LICENSE_ATTRIBUTE).toBe(0x8000006a);
    expect(LICENSE_DATA_LENGTH).toBe(128);
    expect(LICENSE_STATUS_LENGTH).toBe(19);
    expect(GENERATE_LICENSE_LC).toBe(40);
    expect(GENERATE_LICENSE_LE).toBe(136);
    expect(BATCH_CARD_AID_HEX).toBe('A0000003634D574C01');
    expect(NO_DATE_LIMIT).toBe('00000000');
  });
});

describe('tokenInfoField', () => {
  it('pads the model with spaces to 16 bytes', () => {
    expect(Array.from(tokenInfoField('ID'))).toEqual([0x49, 0x44, ...Array(14).fill(0x20)]);
    expect(Array.from(tokenInfoField(''))).toEqual(Array(16).fill(0x20));
  });

  it('keeps a 16-byte value as is and refuses 17 bytes', () => {
    expect(Array.from(tokenInfoField('ABCDEFGHIJKLMNOP'))).toEqual(Array.from(ascii('ABCDEFGHIJKLMNOP')));
    expect(codeOf(() => tokenInfoField('ABCDEFGHIJKLMNOPQ'))).toEqual({
      code: 'LICENSE_BAD_TOKEN_INFO',
      message: 'model and serial are at most 16 bytes',
    });
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 8 × "é" is 8 characters but 16 bytes; 9 are 18 bytes.
    expect(tokenInfoField('é'.repeat(8)).length).toBe(16);
    expect(codeOf(() => tokenInfoField('é'.repeat(9)))?.code).toBe('LICENSE_BAD_TOKEN_INFO');
  });
});

describe('licenseInput', () => {
  const model = tokenInfoField('MODEL');
  const serial = tokenInfoField('SERIAL');

  it('concatenates model, serial and start date into the 40-byte input', () => {
    const input = licenseInput(model, serial, '20260101');
    expect(input.length).toBe(40);
    expect(Array.from(input)).toEqual([...model, ...serial, ...ascii('20260101')]);
  });

  it('refuses a model or a serial that is not 16 bytes', () => {
    const bad = { code: 'LICENSE_BAD_TOKEN_INFO', message: 'model and serial must be 16 bytes each' };
    expect(codeOf(() => licenseInput(new Uint8Array(15), serial, '20260101'))).toEqual(bad);
    expect(codeOf(() => licenseInput(new Uint8Array(17), serial, '20260101'))).toEqual(bad);
    expect(codeOf(() => licenseInput(model, new Uint8Array(15), '20260101'))).toEqual(bad);
    expect(codeOf(() => licenseInput(model, new Uint8Array(17), '20260101'))).toEqual(bad);
  });

  it('refuses a start date that is not exactly eight digits', () => {
    const bad = { code: 'LICENSE_BAD_DATE', message: 'the start date is YYYYMMDD' };
    for (const date of ['2026010', '202601011', 'x20260101', '20260101x', '2026-1-01', '', '2026010a']) {
      expect(codeOf(() => licenseInput(model, serial, date))).toEqual(bad);
    }
    expect(codeOf(() => licenseInput(model, serial, NO_DATE_LIMIT))).toBeUndefined();
  });
});

describe('APDU commands', () => {
  it('build GENERATE LICENSE with CLA 00, INS F8, Lc 28, the input and Le 88', () => {
    const input = Uint8Array.from({ length: 40 }, (_, i) => i);
    expect(Array.from(generateLicenseCommand(input))).toEqual([0x00, 0xf8, 0x00, 0x00, 0x28, ...input, 0x88]);
  });

  it('build SELECT by AID without FCI for the batch application', () => {
    const aid = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x63, 0x4d, 0x57, 0x4c, 0x01);
    expect(Array.from(selectBatchApplicationCommand(aid))).toEqual([0x00, 0xa4, 0x04, 0x0c, 0x09, ...aid]);
    expect(Array.from(selectBatchApplicationCommand(Uint8Array.of(1, 2)))).toEqual([
      0x00, 0xa4, 0x04, 0x0c, 2, 1, 2,
    ]);
  });
});

describe('parseGenerateLicenseResponse', () => {
  it('splits the 136 bytes into the end date and 128 bytes of license data', () => {
    const license = Uint8Array.from({ length: 128 }, (_, i) => (i * 7) & 0xff);
    const parsed = parseGenerateLicenseResponse(Uint8Array.of(...ascii('20271231'), ...license));
    expect(parsed.endDate).toBe('20271231');
    expect(Array.from(parsed.license)).toEqual(Array.from(license));
  });

  it('refuses 135 and 137 bytes, naming both lengths', () => {
    expect(codeOf(() => parseGenerateLicenseResponse(new Uint8Array(135)))).toEqual({
      code: 'LICENSE_BAD_RESPONSE',
      message: 'GENERATE LICENSE returned 135 bytes, expected 136',
    });
    expect(codeOf(() => parseGenerateLicenseResponse(new Uint8Array(137)))?.code).toBe(
      'LICENSE_BAD_RESPONSE',
    );
  });
});

describe('license status', () => {
  function status(flags: [number, number, number], start = '20260101', end = '20261231'): Uint8Array {
    return Uint8Array.of(...flags, ...ascii(start), ...ascii(end));
  }

  it('decodes the three flags and both dates', () => {
    expect(decodeLicenseStatus(status([1, 1, 1]))).toEqual({
      licensePresent: true,
      serialValid: true,
      dateValid: true,
      startDate: '20260101',
      endDate: '20261231',
      acceptable: true,
    });
  });

  it('reads each flag from its own byte, any non-zero value being true', () => {
    expect(decodeLicenseStatus(status([0, 0x31, 0]))).toMatchObject({
      licensePresent: false,
      serialValid: true,
      dateValid: false,
      acceptable: false,
    });
    expect(decodeLicenseStatus(status([0, 0, 2]))).toMatchObject({
      licensePresent: false,
      serialValid: false,
      dateValid: true,
      acceptable: false,
    });
    expect(decodeLicenseStatus(status([0xff, 0, 0]))).toMatchObject({
      licensePresent: true,
      serialValid: false,
      dateValid: false,
      acceptable: false,
    });
  });

  it('calls a license acceptable without licensePresent when serial and date are valid', () => {
    expect(decodeLicenseStatus(status([0, 1, 1], NO_DATE_LIMIT, NO_DATE_LIMIT))).toEqual({
      licensePresent: false,
      serialValid: true,
      dateValid: true,
      startDate: '00000000',
      endDate: '00000000',
      acceptable: true,
    });
  });

  it('refuses 18 and 20 bytes, naming both lengths', () => {
    expect(codeOf(() => decodeLicenseStatus(new Uint8Array(18)))).toEqual({
      code: 'LICENSE_BAD_STATUS',
      message: 'license status is 19 bytes, got 18',
    });
    expect(codeOf(() => decodeLicenseStatus(new Uint8Array(20)))?.code).toBe('LICENSE_BAD_STATUS');
  });

  it('encodes a status that decodes back to itself', () => {
    for (const flags of [
      [true, false, true],
      [false, true, false],
      [false, false, false],
    ] as const) {
      const [licensePresent, serialValid, dateValid] = flags;
      const terms = { licensePresent, serialValid, dateValid, startDate: '20250102', endDate: '20300405' };
      const bytes = encodeLicenseStatus(terms);
      expect(Array.from(bytes)).toEqual([
        licensePresent ? 1 : 0,
        serialValid ? 1 : 0,
        dateValid ? 1 : 0,
        ...ascii('20250102'),
        ...ascii('20300405'),
      ]);
      expect(decodeLicenseStatus(bytes)).toEqual({ ...terms, acceptable: serialValid && dateValid });
    }
  });
});

describe('minted license data', () => {
  const key = ascii('batch key of the virtual card');
  const terms = {
    model: tokenInfoField('IDOPTE MODEL'),
    serial: tokenInfoField('0123456789ABCDEF'),
    startDate: '20260101',
    endDate: '20270101',
  };

  it('lays out IDOL, model, serial, dates, zeros and the HMAC over the first 96 bytes', async () => {
    const { createHmac } = await import('node:crypto');
    const license = mintLicense(key, terms);
    expect(license.length).toBe(128);
    const body = [
      ...ascii('IDOL'),
      ...terms.model,
      ...terms.serial,
      ...ascii('20260101'),
      ...ascii('20270101'),
      ...Array(44).fill(0),
    ];
    const mac = createHmac('sha256', key).update(Uint8Array.from(body)).digest();
    expect(Array.from(license)).toEqual([...body, ...mac]);
  });

  it('reads back the terms with the same key', () => {
    const read = readLicense(key, mintLicense(key, terms));
    expect(read).toBeDefined();
    expect(Array.from(read?.model ?? [])).toEqual(Array.from(terms.model));
    expect(Array.from(read?.serial ?? [])).toEqual(Array.from(terms.serial));
    expect(read?.startDate).toBe('20260101');
    expect(read?.endDate).toBe('20270101');
  });

  it('rejects license data under another key or with any byte changed', () => {
    const license = mintLicense(key, terms);
    expect(readLicense(ascii('another key'), license)).toBeUndefined();
    for (const at of [0, 4, 36, 95, 96, 127]) {
      const tampered = Uint8Array.from(license);
      tampered[at] = (tampered[at] ?? 0) ^ 1;
      expect(readLicense(key, tampered)).toBeUndefined();
    }
  });

  it('rejects license data of 127 or 129 bytes without throwing', () => {
    const license = mintLicense(key, terms);
    expect(readLicense(key, license.subarray(0, 127))).toBeUndefined();
    expect(readLicense(key, Uint8Array.of(...license, 0))).toBeUndefined();
  });
});

describe('addDays', () => {
  it('adds days in UTC across month, year and leap-day boundaries', () => {
    expect(addDays('20260101', 0)).toBe('20260101');
    expect(addDays('20260101', 30)).toBe('20260131');
    expect(addDays('20260131', 1)).toBe('20260201');
    expect(addDays('20261231', 1)).toBe('20270101');
    expect(addDays('20240228', 1)).toBe('20240229');
    expect(addDays('20250228', 1)).toBe('20250301');
    expect(addDays('20260310', -10)).toBe('20260228');
    expect(addDays('20261015', 365)).toBe('20271015');
  });
});
