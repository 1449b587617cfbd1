import { createHmac, timingSafeEqual } from 'node:crypto';
import { CardfleetError } from '../errors/cardfleet-error';
import type { LicenseStatus } from '../messages/job-result';

/**
 * Idopte card licenses (license seed). Lengths in the seed are hex: GENERATE LICENSE
 * takes Lc 0x28 = 40 bytes (model 16 ‖ serial 16 ‖ start date 8) and returns
 * Le 0x88 = 136 bytes (end date 8 ‖ license data 0x80 = 128). The 128 bytes are loaded
 * with C_SetAttributeValue(NULL handle, 0x8000006A); C_GetAttributeValue on the same
 * attribute returns a 19-byte status.
 */
export const LICENSE_ATTRIBUTE = 0x8000006a;
export const LICENSE_DATA_LENGTH = 0x80;
export const LICENSE_STATUS_LENGTH = 19;
export const BATCH_CARD_AID_HEX = 'A0000003634D574C01';
export const GENERATE_LICENSE_LC = 0x28;
export const GENERATE_LICENSE_LE = 0x88;
/** Dates are YYYYMMDD; 00000000 means "no limit". */
export const NO_DATE_LIMIT = '00000000';

/** C_GetTokenInfo model/serial as the card gives them: 16 bytes, space padding kept. */
export function tokenInfoField(value: string): Uint8Array {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length > 16)
    throw new CardfleetError('LICENSE_BAD_TOKEN_INFO', 'model and serial are at most 16 bytes');
  const out = new Uint8Array(16).fill(0x20);
  out.set(bytes);
  return out;
}

export function licenseInput(model: Uint8Array, serial: Uint8Array, startDate: string): Uint8Array {
  if (model.length !== 16 || serial.length !== 16)
    throw new CardfleetError('LICENSE_BAD_TOKEN_INFO', 'model and serial must be 16 bytes each');
  if (!/^\d{8}$/.test(startDate)) throw new CardfleetError('LICENSE_BAD_DATE', 'the start date is YYYYMMDD');
  return Uint8Array.of(...model, ...serial, ...new TextEncoder().encode(startDate));
}

/** GENERATE LICENSE command (license seed), one comment per byte. */
export function generateLicenseCommand(input: Uint8Array): Uint8Array {
  return Uint8Array.of(
    0x00, // CLA
    0xf8, // INS: generate license
    0x00, // P1
    0x00, // P2
    GENERATE_LICENSE_LC, // Lc: 40 bytes of license input
    ...input, // model ‖ serial ‖ start date
    GENERATE_LICENSE_LE, // Le: 136 bytes (end date ‖ license data)
  );
}

/** SELECT of the batch card's license application (license seed), one comment per byte. */
export function selectBatchApplicationCommand(aid: Uint8Array): Uint8Array {
  return Uint8Array.of(
    0x00, // CLA
    0xa4, // INS: SELECT
    0x04, // P1: select application by AID
    0x0c, // P2: no FCI response required
    aid.length, // Lc: 09 for the Idopte AID
    ...aid, // AID
  );
}

export function parseGenerateLicenseResponse(data: Uint8Array): { endDate: string; license: Uint8Array } {
  if (data.length !== GENERATE_LICENSE_LE) {
    throw new CardfleetError(
      'LICENSE_BAD_RESPONSE',
      `GENERATE LICENSE returned ${data.length} bytes, expected ${GENERATE_LICENSE_LE}`,
    );
  }
  return { endDate: new TextDecoder().decode(data.subarray(0, 8)), license: data.slice(8) };
}

/** The 19-byte status: licensePresent, serialValid, dateValid (chars), StartDate[8], EndDate[8]. */
export function decodeLicenseStatus(bytes: Uint8Array): LicenseStatus {
  if (bytes.length !== LICENSE_STATUS_LENGTH) {
    throw new CardfleetError(
      'LICENSE_BAD_STATUS',
      `license status is ${LICENSE_STATUS_LENGTH} bytes, got ${bytes.length}`,
    );
  }
  const text = (from: number) => new TextDecoder().decode(bytes.subarray(from, from + 8));
  const serialValid = bytes[1] !== 0;
  const dateValid = bytes[2] !== 0;
  return {
    licensePresent: bytes[0] !== 0,
    serialValid,
    dateValid,
    startDate: text(3),
    endDate: text(11),
    acceptable: serialValid && dateValid,
  };
}

export function encodeLicenseStatus(status: Omit<LicenseStatus, 'acceptable'>): Uint8Array {
  const enc = new TextEncoder();
  return Uint8Array.of(
    status.licensePresent ? 1 : 0,
    status.serialValid ? 1 : 0,
    status.dateValid ? 1 : 0,
    ...enc.encode(status.startDate),
    ...enc.encode(status.endDate),
  );
}

/**
 * License data as our virtual batch card mints it and our vendor test module checks
 * it (a real batch card's format is Idopte's secret): "IDOL" ‖ model 16 ‖ serial 16 ‖
 * start 8 ‖ end 8 ‖ zeros 44 ‖ HMAC-SHA256(batch key, the first 96 bytes).
 */
export interface LicenseTerms {
  model: Uint8Array;
  serial: Uint8Array;
  startDate: string;
  endDate: string;
}

const MAGIC = new TextEncoder().encode('IDOL');

export function mintLicense(key: Uint8Array, terms: LicenseTerms): Uint8Array {
  const body = new Uint8Array(96);
  body.set(MAGIC, 0);
  body.set(terms.model, 4);
  body.set(terms.serial, 20);
  body.set(new TextEncoder().encode(terms.startDate), 36);
  body.set(new TextEncoder().encode(terms.endDate), 44);
  const mac = createHmac('sha256', key).update(body).digest();
  return Uint8Array.of(...body, ...mac);
}

export function readLicense(key: Uint8Array, license: Uint8Array): LicenseTerms | undefined {
  if (license.length !== LICENSE_DATA_LENGTH) return undefined;
  const body = license.subarray(0, 96);
  const mac = createHmac('sha256', key).update(body).digest();
  if (!timingSafeEqual(mac, license.subarray(96))) return undefined;
  const text = (from: number) => new TextDecoder().decode(license.subarray(from, from + 8));
  return {
    model: license.slice(4, 20),
    serial: license.slice(20, 36),
    startDate: text(36),
    endDate: text(44),
  };
}

/** YYYYMMDD + days, in UTC. */
export function addDays(date: string, days: number): string {
  const d = new Date(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)) + days),
  );
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}
