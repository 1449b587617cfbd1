import { describe, expect, it } from 'vitest';
import { parseHex, toHex } from '../bytes/hex';
import {
  CR_ALGORITHM_ALIASES,
  CR_ALGORITHMS,
  checkCrSizes,
  computeCrResponse,
  crKeyLengths,
} from './challenge-response';

// Challenge/response of CR lines (docs/encoding-format.md, "CR lines"): which names,
// key sizes and input sizes each algorithm takes, and how the 2-key and 3-key 3DES
// variants relate (NIST SP 800-67 keying options 1 and 2, ISO/IEC 9797-1 MAC 3).
const MESSAGE = parseHex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51');
const K1 = parseHex('0123456789ABCDEF');
const K2 = parseHex('23456789ABCDEF01');
const K3 = parseHex('456789ABCDEF0123');
const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('challenge/response names and sizes', () => {
  it('accepts the script names of each algorithm', () => {
    expect(CR_ALGORITHMS).toEqual(['AES_CMAC', 'RETAIL_MAC', 'DES3_ECB']);
    expect(CR_ALGORITHM_ALIASES).toEqual({
      AES_CMAC: 'AES_CMAC',
      CMAC: 'AES_CMAC',
      RETAIL_MAC: 'RETAIL_MAC',
      MAC3: 'RETAIL_MAC',
      DES3_ECB: 'DES3_ECB',
    });
  });

  it('takes an AES-256 key for CMAC and a 2- or 3-key 3DES key for the others', () => {
    expect(crKeyLengths('AES_CMAC')).toEqual([32]);
    expect(crKeyLengths('RETAIL_MAC')).toEqual([16, 24]);
    expect(crKeyLengths('DES3_ECB')).toEqual([16, 24]);
  });

  it('says which key and input sizes it wanted', () => {
    expect(() => checkCrSizes('RETAIL_MAC', 8, 8)).toThrow(
      expect.objectContaining({
        code: 'CR_BAD_KEY_LENGTH',
        message: 'RETAIL_MAC needs a key of 16 or 24 bytes, got 8',
      }),
    );
    expect(() => checkCrSizes('AES_CMAC', 32, 0)).toThrow(
      expect.objectContaining({
        code: 'CR_BAD_INPUT_LENGTH',
        message: 'AES_CMAC takes a non-empty multiple of 16 bytes without padding, got 0',
      }),
    );
    expect(() => checkCrSizes('AES_CMAC', 32, 8)).toThrow(
      expect.objectContaining({ code: 'CR_BAD_INPUT_LENGTH' }),
    );
    expect(() => checkCrSizes('DES3_ECB', 24, 12)).toThrow(
      expect.objectContaining({
        message: 'DES3_ECB takes a non-empty multiple of 8 bytes without padding, got 12',
      }),
    );
    expect(() => checkCrSizes('DES3_ECB', 16, 16)).not.toThrow();
    expect(() => checkCrSizes('RETAIL_MAC', 24, 8)).not.toThrow();
    expect(() => checkCrSizes('AES_CMAC', 32, 48)).not.toThrow();
  });
});

describe('challenge/response values', () => {
  it('matches OpenSSL CMAC-AES256 for keys whose subkey needs the Rb reduction and keys that do not', () => {
    // openssl mac -cipher AES-256-CBC -macopt hexkey:<key> CMAC, first 8 bytes; with the
    // all-zero key L starts with bit 1 (K1 = L<<1 xor 87), with the all-FF key with bit 0.
    const cases = [
      ['00'.repeat(32), '94859F540820ADE6'],
      ['FF'.repeat(32), '825CC3C7B1FEDA68'],
      ['0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20', '0AE3052B527C737B'],
    ] as const;
    for (const [key, tag] of cases)
      expect(toHex(computeCrResponse('AES_CMAC', parseHex(key), MESSAGE)), key).toBe(tag);
  });

  it('reads a 2-key 3DES key as K1 K2 K1', () => {
    const input = MESSAGE.subarray(0, 16);
    expect(computeCrResponse('DES3_ECB', join(K1, K2), input)).toEqual(
      computeCrResponse('DES3_ECB', join(K1, K2, K1), input),
    );
    expect(computeCrResponse('DES3_ECB', join(K1, K2, K3), input)).not.toEqual(
      computeCrResponse('DES3_ECB', join(K1, K2, K1), input),
    );
    expect(computeCrResponse('DES3_ECB', join(K1, K2), input)).toHaveLength(16);
  });

  it('runs the retail MAC in single DES under K1 and only the last block through 3DES', () => {
    for (const key of [join(K1, K2), join(K1, K2, K3)]) {
      const [b1, b2, b3] = [MESSAGE.subarray(0, 8), MESSAGE.subarray(8, 16), MESSAGE.subarray(16, 24)];
      // One block: the whole MAC is 3DES of that block.
      expect(computeCrResponse('RETAIL_MAC', key, b1)).toEqual(computeCrResponse('DES3_ECB', key, b1));
      // More blocks: CBC under single DES (K1 K1 K1), the last block under the full key.
      const singleDes = join(K1, K1, K1);
      const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v ^ (b[i] ?? 0));
      const s1 = computeCrResponse('DES3_ECB', singleDes, b1);
      const s2 = computeCrResponse('DES3_ECB', singleDes, xor(s1, b2));
      const mac = computeCrResponse('DES3_ECB', key, xor(s2, b3));
      expect(computeCrResponse('RETAIL_MAC', key, MESSAGE.subarray(0, 24))).toEqual(mac);
      expect(computeCrResponse('RETAIL_MAC', key, MESSAGE.subarray(0, 24))).toHaveLength(8);
    }
  });
});
