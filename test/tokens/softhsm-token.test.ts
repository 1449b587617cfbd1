import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTokenModules, openTokenModule } from '../../edge-agent/src/tokens/pkcs11js-module';
import type { TokenModule } from '../../edge-agent/src/tokens/token-port';
import { privateSoftHsm } from '../support/softhsm';

const CA_DER = new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/certs/ca.der')));
// A Card Manager Key with bytes above 0x7F: as a JS string pkcs11js would send its
// UTF-8 encoding (0x80 → C2 80), a different key.
const BINARY_CMK = Uint8Array.from(Buffer.from('80FF0011223344556677889900AABBCCDDEEFF0102030405', 'hex'));
const FACTORY_CMK = new Uint8Array(24);

describe('token port on SoftHSM2 through pkcs11js', () => {
  let module: TokenModule;
  const slotOf = (label: string) => {
    const slot = module.slots(true).find((s) => module.tokenInfo(s.id).label === label);
    if (!slot) throw new Error(`no token ${label}`);
    return slot.id;
  };
  beforeAll(() => {
    const hsm = privateSoftHsm([{ label: 'card-a', soPin: '12345678', userPin: '1234' }]);
    module = openTokenModule(hsm.module);
  });
  afterAll(() => closeTokenModules());

  it('reports module info, slots and token info with decoded flags', () => {
    expect(module.info()).toMatchObject({
      manufacturer: 'SoftHSM',
      cryptokiVersion: expect.stringMatching(/^2\.\d+$/),
    });
    const info = module.tokenInfo(slotOf('card-a'));
    expect(info.model).toHaveLength(16);
    expect(info.model.trimEnd()).toBe('SoftHSM v2');
    expect(info.serialNumber).toHaveLength(16);
    expect(info.flags).toMatchObject({
      tokenInitialized: true,
      userPinInitialized: true,
      loginRequired: true,
      userPinLocked: false,
    });
    // SoftHSM always offers one more slot with an uninitialised token.
    expect(module.slots(true).some((s) => !module.tokenInfo(s.id).flags.tokenInitialized)).toBe(true);
  });

  it('is the same initialised module when opened twice', () => {
    expect(openTokenModule(module.path)).toBe(module);
  });

  it('passes a 24-byte Card Manager Key with bytes above 0x7F byte-exact', () => {
    const free = module.slots(true).find((s) => !module.tokenInfo(s.id).flags.tokenInitialized);
    if (!free) throw new Error('no free slot');
    module.initToken(free.id, BINARY_CMK, 'binary-cmk');
    const session = module.openSession(slotOf('binary-cmk'), true);
    // The bytes as a string would reach the module UTF-8 encoded: refused.
    expect(() => session.login('so', Buffer.from(BINARY_CMK).toString('latin1'))).toThrow(
      expect.objectContaining({ code: 'PIN_INCORRECT' }),
    );
    session.login('so', BINARY_CMK);
    session.logout();
    session.close();
  });

  it('passes the factory key of 24 zero bytes', () => {
    const free = module.slots(true).find((s) => !module.tokenInfo(s.id).flags.tokenInitialized);
    if (!free) throw new Error('no free slot');
    module.initToken(free.id, FACTORY_CMK, 'factory-cmk');
    const session = module.openSession(slotOf('factory-cmk'), true);
    session.login('so', FACTORY_CMK);
    session.close();
  });

  it('reports a wrong PIN with a typed error', () => {
    const session = module.openSession(slotOf('card-a'), false);
    expect(() => session.login('user', '9999')).toThrow(expect.objectContaining({ code: 'PIN_INCORRECT' }));
    session.close();
  });

  it('generates an RSA-2048 key pair, signs and verifies; refuses RSA-3072 before any call', () => {
    const session = module.openSession(slotOf('card-a'), true);
    session.login('user', '1234');
    expect(() =>
      session.generateRsaKeyPair({ label: 'big', id: '02', bits: 3072, publicExponent: '010001' }),
    ).toThrow(expect.objectContaining({ code: 'KEY_SIZE_UNSUPPORTED' }));
    expect(() =>
      session.generateRsaKeyPair({ label: 'e3', id: '03', bits: 2048, publicExponent: '03' }),
    ).toThrow(expect.objectContaining({ code: 'KEY_EXPONENT_UNSUPPORTED' }));
    session.generateRsaKeyPair({ label: 'auth', id: '01', bits: 2048, publicExponent: '010001' });
    const data = new TextEncoder().encode('cardfleet');
    const signature = session.sign('01', data);
    expect(signature).toHaveLength(256);
    expect(session.verify('01', data, signature)).toBe(true);
    expect(session.verify('01', new TextEncoder().encode('other'), signature)).toBe(false);
    session.close();
  });

  it('writes and lists certificates', () => {
    const session = module.openSession(slotOf('card-a'), true);
    session.login('user', '1234');
    session.writeCertificate({ id: 'CA01', label: 'Issuing CA', der: CA_DER, ca: true });
    const certs = session.certificates();
    expect(certs).toEqual([{ id: 'CA01', label: 'Issuing CA', der: Buffer.from(CA_DER).toString('base64') }]);
    // OpenSSL's view of the subject matches what we stored as CKA_SUBJECT.
    expect(new X509Certificate(Buffer.from(CA_DER)).subject).toBe('CN=cardfleet test CA');
    session.close();
  });
});
