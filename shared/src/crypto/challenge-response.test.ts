import { describe, expect, it } from 'vitest';
import { parseHex, toHex } from '../bytes/hex';
import { CardfleetError } from '../errors/cardfleet-error';
import { computeCrResponse } from './challenge-response';

describe('challenge/response algorithms', () => {
  // NIST SP 800-38B, Appendix D.3 (CMAC-AES256), Examples 10 and 12; the tag is cut to 8 bytes.
  const cmacKey = parseHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
  it('matches NIST SP 800-38B CMAC-AES256 example 10 (one block)', () => {
    const tag = computeCrResponse('AES_CMAC', cmacKey, parseHex('6bc1bee22e409f96e93d7e117393172a'));
    expect(toHex(tag)).toBe('28A7023F452E8F82');
  });
  it('matches NIST SP 800-38B CMAC-AES256 example 12 (four blocks)', () => {
    const message = parseHex(
      '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
    );
    expect(toHex(computeCrResponse('AES_CMAC', cmacKey, message))).toBe('E1992190549F6ED5');
  });

  // Bouncy Castle's ISO9797Alg3MacTest (org.bouncycastle.crypto.test): 2-key 3DES,
  // "Hello World !!!!" → F09B856213BAB83B.
  it('matches the Bouncy Castle ISO 9797-1 algorithm 3 vector', () => {
    const key = parseHex('7CA110454A1A6E570131D9619DC1376E');
    const mac = computeCrResponse('RETAIL_MAC', key, new TextEncoder().encode('Hello World !!!!'));
    expect(toHex(mac)).toBe('F09B856213BAB83B');
  });

  // NIST SP 800-67 Rev. 1, Appendix B (TDEA ECB example, keying option 1).
  it('matches the NIST SP 800-67 3DES-ECB example', () => {
    const key = parseHex('0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123');
    const out = computeCrResponse('DES3_ECB', key, new TextEncoder().encode('The qufck brown fox jump'));
    expect(toHex(out)).toBe('A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900');
  });

  it('refuses input that would need padding instead of padding it', () => {
    expect(() => computeCrResponse('AES_CMAC', cmacKey, new Uint8Array(15))).toThrow(
      expect.objectContaining({ code: 'CR_BAD_INPUT_LENGTH' }),
    );
    expect(() => computeCrResponse('RETAIL_MAC', new Uint8Array(16), new Uint8Array(12))).toThrow(
      CardfleetError,
    );
  });

  it('refuses a key of the wrong length', () => {
    expect(() => computeCrResponse('AES_CMAC', new Uint8Array(16), new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: 'CR_BAD_KEY_LENGTH' }),
    );
  });
});
