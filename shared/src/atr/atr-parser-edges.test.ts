import { describe, expect, it } from 'vitest';
import { parseHex } from '../bytes/hex';
import { parseAtr } from './atr-parser';

// ISO/IEC 7816-3:2006 §8.2 at its edges: the length limits, TS, the TD chain and its
// protocols, where the TCK is required (§8.2.5) and each irregularity's warning.
const atr = (hex: string) => parseAtr(parseHex(hex));
const warnings = (hex: string) => atr(hex).warnings.map((w) => `${w.code}: ${w.message}`);

describe('ATR limits', () => {
  it('takes 2 to 33 bytes and TS 3B or 3F only', () => {
    expect(() => atr('')).toThrow(
      expect.objectContaining({ code: 'ATR_TRUNCATED', message: 'an ATR has at least TS and T0' }),
    );
    expect(atr('3B00').bytes).toHaveLength(2);
    const longest = `3B0F${'00'.repeat(15)}${'AA'.repeat(16)}`;
    expect(atr(longest).extraBytes).toHaveLength(16);
    expect(() => atr(`${longest}AA`)).toThrow(
      expect.objectContaining({ code: 'ATR_TOO_LONG', message: 'an ATR has at most 33 bytes, got 34' }),
    );
    expect(() => atr('3C00')).toThrow(
      expect.objectContaining({
        code: 'ATR_BAD_TS',
        message: 'TS must be 3B (direct) or 3F (inverse convention), got 3C',
      }),
    );
    expect(atr('3F00').convention).toBe('inverse');
    expect(atr('3B00').convention).toBe('direct');
  });
});

describe('the interface byte chain', () => {
  it('reads every group, its protocol once per T, and T=0 when no TD is there', () => {
    const parsed = atr('3B F0 11 22 33 80 11 10 00');
    expect(parsed.interfaceBytes.map((b) => [b.name, b.value])).toEqual([
      ['TA1', 0x11],
      ['TB1', 0x22],
      ['TC1', 0x33],
      ['TD1', 0x80],
      ['TD2', 0x11],
      ['TA3', 0x10],
    ]);
    expect(parsed.protocols).toEqual([0, 1]);
    expect(parsed.interfaceBytes[3]?.meaning).toBe('Y(i+1) = b1000, Protocol T=0');
    expect(parsed.interfaceBytes[4]?.meaning).toBe('Y(i+1) = b0001, Protocol T=1');
    expect(parsed.interfaceBytes[5]?.meaning).toBe('IFSC: 16');
    expect([parsed.fi, parsed.di, parsed.fMaxMHz]).toEqual([372, 1, 5]);
    expect(parsed.tck).toEqual({ present: true, value: 0x00, valid: false });
    expect(atr('3B 80 01 01').protocols).toEqual([1]);
    expect(atr('3B 00').protocols).toEqual([0]);
    expect(atr('3B 80 81 11 01 00').protocols).toEqual([1]);
  });

  it('has no Fi and Di without TA1', () => {
    expect(atr('3B 20 25')).toMatchObject({ fi: undefined, di: undefined, fMaxMHz: undefined });
  });

  it('stops at the first announced byte that is missing', () => {
    expect(warnings('3B F0 11 22')).toEqual(['ATR_TRUNCATED: the ATR ends where TC1 is announced']);
    expect(warnings('3B 80')).toEqual(['ATR_TRUNCATED: the ATR ends where TD1 is announced']);
    expect(atr('3B 80').protocols).toEqual([0]);
    expect(atr('3B F0 11 22').historical.bytes).toHaveLength(0);
  });
});

describe('TCK and what follows the historical bytes', () => {
  it('checks the TCK as the XOR of every byte after TS', () => {
    expect(atr('3B 81 80 01 80 80').tck).toEqual({ present: true, value: 0x80, valid: true });
    expect(atr('3B 81 80 01 80 81').tck).toEqual({ present: true, value: 0x81, valid: false });
    expect(warnings('3B 81 80 01 80 80')).toEqual([]);
  });

  it('requires a TCK when T=15 or another protocol than T=0 is indicated', () => {
    expect(warnings('3B 80 0F')).toEqual([
      'ATR_TCK_MISSING: TCK is required (a protocol other than T=0 is indicated) but missing',
    ]);
    expect(warnings('3B 80 0F 0F')).toEqual([]);
    expect(warnings('3B 80 00')).toEqual([]);
  });

  it('warns of a short history, and of a missing TCK beside it', () => {
    expect(warnings('3B 82 01 AA')).toEqual([
      'ATR_TRUNCATED: T0 announces 2 historical bytes, only 1 follow',
      'ATR_TCK_MISSING: TCK is required (a protocol other than T=0 is indicated) but missing',
    ]);
    expect(atr('3B 82 01 AA').historical.bytes).toEqual(Uint8Array.of(0xaa));
  });

  it('reads more than one byte after the history as ignored extra bytes', () => {
    const parsed = atr('3B 01 AA BB CC');
    expect(parsed.warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([
      'ATR_TRAILING_BYTES: 2 byte(s) after the 1 historical byte(s); ignored',
    ]);
    expect(parsed.extraBytes).toEqual(Uint8Array.of(0xbb, 0xcc));
    expect(parsed.historical.bytes).toEqual(Uint8Array.of(0xaa));
    expect(parsed.tck.present).toBe(false);
    expect(warnings('3B 81 01 AA BB CC')).toEqual([
      'ATR_TRAILING_BYTES: 2 byte(s) after the 1 historical byte(s); ignored',
    ]);
  });

  it('reads one byte after a T=0-only history as TCK, with a warning', () => {
    expect(warnings('3B 01 AA 0F')).toEqual([
      'ATR_TCK_UNEXPECTED: one byte (0F) follows the historical bytes of a T=0-only ATR; read as TCK',
    ]);
    expect(atr('3B 01 AA 0F').historical.bytes).toEqual(Uint8Array.of(0xaa));
    expect(atr('3B 01 AA 0F').historicalLength).toBe(1);
  });
});
