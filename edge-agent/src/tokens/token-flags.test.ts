import { describe, expect, it } from 'vitest';
import { pkcs11Error } from './pkcs11-errors';
import { assertLoginAllowed, decodeSlotFlags, decodeTokenFlags, slotFlagNames } from './token-flags';

describe('PKCS#11 flags', () => {
  it('decodes the slot flags of the token-interface seed (7 = present + removable + hardware)', () => {
    expect(decodeSlotFlags(7)).toEqual({ tokenPresent: true, removableDevice: true, hardwareSlot: true });
    expect(decodeSlotFlags(1)).toEqual({ tokenPresent: true, removableDevice: false, hardwareSlot: false });
  });

  it('names every slot flag, a bit PKCS#11 does not define (32) included, so it never reads like 0', () => {
    expect(slotFlagNames(7)).toEqual(['tokenPresent', 'removableDevice', 'hardwareSlot']);
    expect(slotFlagNames(32)).toEqual(['vendor-defined 0x20']);
    expect(slotFlagNames(0)).toEqual(['empty (no flag set)']);
    expect(slotFlagNames(33)).toEqual(['tokenPresent', 'vendor-defined 0x20']);
  });

  it('decodes PIN state flags', () => {
    const flags = decodeTokenFlags(0x400 | 0x8 | 0x4 | 0x20000 | 0x100000);
    expect(flags).toMatchObject({
      tokenInitialized: true,
      userPinInitialized: true,
      loginRequired: true,
      userPinFinalTry: true,
      soPinCountLow: true,
      soPinLocked: false,
    });
  });

  it('refuses to spend a final try or touch a locked PIN', () => {
    expect(() => assertLoginAllowed(decodeTokenFlags(0x20000), 'user')).toThrow(
      expect.objectContaining({ code: 'PIN_FINAL_TRY' }),
    );
    expect(() => assertLoginAllowed(decodeTokenFlags(0x400000), 'so')).toThrow(
      expect.objectContaining({ code: 'PIN_LOCKED' }),
    );
    expect(() => assertLoginAllowed(decodeTokenFlags(0x10000), 'user')).not.toThrow();
    expect(() => assertLoginAllowed(decodeTokenFlags(0x20000), 'so')).not.toThrow();
  });

  it('names known middleware failures', () => {
    expect(pkcs11Error('C_CreateObject', new Error('CKR_DEVICE_MEMORY'))).toMatchObject({
      code: 'CARD_MEMORY_FULL',
    });
    expect(pkcs11Error('C_Sign', new Error('CKR_MECHANISM_INVALID'))).toMatchObject({
      code: 'CKR_MECHANISM_INVALID',
    });
  });
});
