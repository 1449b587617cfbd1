import { createCipheriv } from 'node:crypto';
import { CardfleetError } from '../errors/cardfleet-error';

/**
 * Challenge/response algorithms of CR lines (APDU seed, "CR line format"). None pads:
 * an input of the wrong size is an error, never silently padded.
 *  - AES_CMAC:   CMAC (NIST SP 800-38B) with an AES-256 key; input a multiple of 16
 *                bytes; output the first 8 bytes of the tag.
 *  - RETAIL_MAC: ISO/IEC 9797-1 MAC algorithm 3 ("MAC3", ANSI X9.19) with a 2- or
 *                3-key 3DES key; input a multiple of 8 bytes; 8-byte output.
 *  - DES3_ECB:   3DES (EDE) encryption in ECB mode; input a multiple of 8 bytes;
 *                output as long as the input.
 */
export const CR_ALGORITHMS = ['AES_CMAC', 'RETAIL_MAC', 'DES3_ECB'] as const;
export type CrAlgorithm = (typeof CR_ALGORITHMS)[number];

/** Names accepted in scripts for each algorithm (MAC3 is the seed's own name). */
export const CR_ALGORITHM_ALIASES: Readonly<Record<string, CrAlgorithm>> = {
  AES_CMAC: 'AES_CMAC',
  CMAC: 'AES_CMAC',
  RETAIL_MAC: 'RETAIL_MAC',
  MAC3: 'RETAIL_MAC',
  DES3_ECB: 'DES3_ECB',
};

const KEY_LENGTHS: Readonly<Record<CrAlgorithm, readonly number[]>> = {
  AES_CMAC: [32],
  RETAIL_MAC: [16, 24],
  DES3_ECB: [16, 24],
};
const BLOCK: Readonly<Record<CrAlgorithm, number>> = { AES_CMAC: 16, RETAIL_MAC: 8, DES3_ECB: 8 };

export function crKeyLengths(algorithm: CrAlgorithm): readonly number[] {
  return KEY_LENGTHS[algorithm];
}

/** Checks sizes without computing (used by validation and before any APDU is sent). */
export function checkCrSizes(algorithm: CrAlgorithm, keyLength: number, inputLength: number): void {
  if (!KEY_LENGTHS[algorithm].includes(keyLength)) {
    throw new CardfleetError(
      'CR_BAD_KEY_LENGTH',
      `${algorithm} needs a key of ${KEY_LENGTHS[algorithm].join(' or ')} bytes, got ${keyLength}`,
    );
  }
  const block = BLOCK[algorithm];
  if (inputLength === 0 || inputLength % block !== 0) {
    throw new CardfleetError(
      'CR_BAD_INPUT_LENGTH',
      `${algorithm} takes a non-empty multiple of ${block} bytes without padding, got ${inputLength}`,
    );
  }
}

export function computeCrResponse(algorithm: CrAlgorithm, key: Uint8Array, input: Uint8Array): Uint8Array {
  checkCrSizes(algorithm, key.length, input.length);
  switch (algorithm) {
    case 'AES_CMAC':
      return aesCmac(key, input).subarray(0, 8);
    case 'RETAIL_MAC':
      return retailMac(key, input);
    case 'DES3_ECB':
      return ecb('des-ede3', expand3desKey(key), input);
  }
}

function ecb(cipher: string, key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv(cipher, key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** K1‖K2 → K1‖K2‖K1 (keying option 2 of NIST SP 800-67). */
function expand3desKey(key: Uint8Array): Uint8Array {
  return key.length === 24 ? key : Uint8Array.of(...key, ...key.subarray(0, 8));
}

/** NIST SP 800-38B §6.2, full blocks only (the caller checked the length). */
function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const l = ecb('aes-256-ecb', key, new Uint8Array(16));
  const k1 = doubleInGf128(l); // §6.1 subkey K1; K2 is only needed for partial blocks
  let state: Uint8Array = new Uint8Array(16);
  for (let offset = 0; offset < message.length; offset += 16) {
    const block = message.subarray(offset, offset + 16);
    const last = offset + 16 === message.length;
    const x = new Uint8Array(16);
    for (let i = 0; i < 16; i++) x[i] = (state[i] ?? 0) ^ (block[i] ?? 0) ^ (last ? (k1[i] ?? 0) : 0);
    state = ecb('aes-256-ecb', key, x);
  }
  return state;
}

/** Left shift by one bit, XOR Rb = 0x87 when the top bit falls off (SP 800-38B §5.3). */
function doubleInGf128(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = (((block[i] ?? 0) << 1) | ((block[i + 1] ?? 0) >> 7)) & 0xff;
  if (((block[0] ?? 0) & 0x80) !== 0) out[15] = (out[15] ?? 0) ^ 0x87;
  return out;
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3: single-DES CBC-MAC under K1 over every block, with
 * the final block processed by D(K2) then E(K1) (or E(K3) with a 3-key key) — i.e.
 * the last block goes through full 3DES EDE. Single DES is taken as 3DES with K1‖K1‖K1
 * because OpenSSL 3 keeps plain DES in its legacy provider.
 */
function retailMac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k1 = key.subarray(0, 8);
  const singleDes = Uint8Array.of(...k1, ...k1, ...k1);
  const finalKey = expand3desKey(key);
  let state: Uint8Array = new Uint8Array(8);
  for (let offset = 0; offset < message.length; offset += 8) {
    const x = new Uint8Array(8);
    for (let i = 0; i < 8; i++) x[i] = (state[i] ?? 0) ^ (message[offset + i] ?? 0);
    state = ecb('des-ede3', offset + 8 === message.length ? finalKey : singleDes, x);
  }
  return state;
}
