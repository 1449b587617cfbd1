import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintLicense, parseHex, tokenInfoField } from '@cardfleet/shared';
import * as pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTokenModules, openTokenModule } from '../../edge-agent/src/tokens/pkcs11js-module';
import { slotByReaderName } from '../../edge-agent/src/tokens/reader-slots';
import type { TokenModule } from '../../edge-agent/src/tokens/token-port';
import { vendorModule } from '../support/vendor-module';

const CA_DER = new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/certs/ca.der')));
const READER = 'Virtual PCD 00 00';

describe('vendor-behaviour PKCS#11 module (wraps SoftHSM2)', () => {
  let vendor: ReturnType<typeof vendorModule>;
  let module: TokenModule;
  beforeAll(() => {
    vendor = vendorModule(
      [
        { reader: READER, main: 'main-0', signature: 'sign-0' },
        { reader: 'Virtual PCD 00 01', main: 'main-1' },
      ],
      {
        objectBudget: 4,
        today: '20261129',
      },
    );
    module = openTokenModule(vendor.module);
  });
  afterAll(() => closeTokenModules());

  it('names each slot after its reader, with a signature slot', () => {
    expect(module.slots(true).map((s) => s.description)).toEqual([
      READER,
      `${READER} - Signature`,
      'Virtual PCD 00 01',
    ]);
    expect(module.tokenInfo(slotByReaderName(module, READER, 'signature')).label).toBe('sign-0');
  });

  it('counts PIN tries, and the agent refuses to spend the final one', () => {
    const slot = slotByReaderName(module, 'Virtual PCD 00 01', 'main');
    const session = module.openSession(slot, false);
    expect(() => session.login('user', '0000')).toThrow(expect.objectContaining({ code: 'PIN_INCORRECT' }));
    expect(module.tokenInfo(slot).flags).toMatchObject({ userPinCountLow: true, userPinFinalTry: false });
    expect(() => session.login('user', '0000')).toThrow(expect.objectContaining({ code: 'PIN_INCORRECT' }));
    expect(module.tokenInfo(slot).flags).toMatchObject({ userPinFinalTry: true });
    const logins = () => vendor.calls().filter((c) => c.startsWith('C_Login slot=2')).length;
    const before = logins();
    expect(() => session.login('user', '1234')).toThrow(expect.objectContaining({ code: 'PIN_FINAL_TRY' }));
    expect(logins()).toBe(before); // the module never saw the third attempt
    session.close();
  });

  it('enforces the Gemalto key restrictions itself, and the agent checks before calling', () => {
    const slot = slotByReaderName(module, READER, 'main');
    const session = module.openSession(slot, true);
    session.login('user', '1234');
    const generations = () => vendor.calls().filter((c) => c.startsWith('C_GenerateKeyPair')).length;
    const before = generations();
    expect(() =>
      session.generateRsaKeyPair({ label: 'k', id: '01', bits: 3072, publicExponent: '010001' }),
    ).toThrow(expect.objectContaining({ code: 'KEY_SIZE_UNSUPPORTED' }));
    expect(generations()).toBe(before); // the module never saw it
    // The module too refuses it when asked directly (as the middleware would).
    const raw = new pkcs11js.PKCS11();
    raw.load(vendor.module);
    try {
      raw.C_Initialize();
    } catch (error) {
      if (!String(error).includes('CKR_CRYPTOKI_ALREADY_INITIALIZED')) throw error;
    }
    const rawSession = raw.C_OpenSession(
      raw.C_GetSlotList(true)[0] as Buffer,
      pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION,
    );
    // Already logged in through the agent's session: the login state is the token's.
    expect(() => raw.C_Login(rawSession, 1, '1234')).toThrow(/CKR_USER_ALREADY_LOGGED_IN/);
    expect(() =>
      raw.C_GenerateKeyPair(
        rawSession,
        { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
        [
          { type: pkcs11js.CKA_MODULUS_BITS, value: 3072 },
          { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
        ],
        [{ type: pkcs11js.CKA_SIGN, value: true }],
      ),
    ).toThrow(/CKR_KEY_SIZE_RANGE/);
    raw.C_CloseSession(rawSession);
    session.close();
  });

  it('answers CKR_FUNCTION_FAILED for a certificate already on the card, and memory full after its budget', () => {
    const session = module.openSession(slotByReaderName(module, READER, 'main'), true);
    session.login('user', '1234');
    session.writeCertificate({ id: 'CA', label: 'CA', der: CA_DER, ca: true });
    expect(() => session.writeCertificate({ id: 'CA', label: 'CA', der: CA_DER, ca: true })).toThrow(
      expect.objectContaining({ code: 'CKR_FUNCTION_FAILED' }),
    );
    session.generateRsaKeyPair({ label: 'auth', id: 'A1', bits: 1024, publicExponent: '010001' }); // budget 4: 1 + 2 used
    expect(() =>
      session.generateRsaKeyPair({ label: 'more', id: 'A2', bits: 1024, publicExponent: '010001' }),
    ).toThrow(expect.objectContaining({ code: 'CARD_MEMORY_FULL' }));
    session.close();
  });

  it('loads a license bound to model and serial and decodes its status', () => {
    const slot = slotByReaderName(module, READER, 'main');
    const info = module.tokenInfo(slot);
    const key = parseHex(vendor.licenseKey);
    const session = module.openSession(slot, true);
    expect(session.licenseStatus()).toEqual({
      licensePresent: false,
      serialValid: false,
      dateValid: false,
      startDate: '00000000',
      endDate: '00000000',
      acceptable: false,
    });
    const model = new TextEncoder().encode(info.model);
    const serial = new TextEncoder().encode(info.serialNumber);
    expect(() =>
      session.loadLicense(mintLicense(key, { model, serial, startDate: '20261129', endDate: '20271129' })),
    ).toThrow(expect.objectContaining({ code: 'TOKEN_NOT_LOGGED_IN' }));
    session.login('user', '1234');
    session.loadLicense(mintLicense(key, { model, serial, startDate: '20261129', endDate: '20271129' }));
    expect(session.licenseStatus()).toEqual({
      licensePresent: true,
      serialValid: true,
      dateValid: true,
      startDate: '20261129',
      endDate: '20271129',
      acceptable: true,
    });
    session.loadLicense(
      mintLicense(key, {
        model,
        serial: tokenInfoField('OTHERSERIAL'),
        startDate: '20261129',
        endDate: '20271129',
      }),
    );
    expect(session.licenseStatus()).toMatchObject({ serialValid: false, acceptable: false });
    session.loadLicense(mintLicense(key, { model, serial, startDate: '20241129', endDate: '20251129' }));
    expect(session.licenseStatus()).toMatchObject({ serialValid: true, dateValid: false, acceptable: false });
    session.close();
  });
});
