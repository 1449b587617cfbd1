import { describe, expect, it } from 'vitest';
import { ta1Factors } from './atr-interface-bytes';
import { COMPACT_TLV_TAGS, DI_TABLE, FI_TABLE } from './atr-tables';

// ISO/IEC 7816-3:2006 Tables 7 and 8 (§8.3) and ISO/IEC 7816-4 §8.1.1, as printed there:
// a changed entry misreads the speed a card offers or the data its ATR carries.
describe('ATR tables (ISO/IEC 7816-3 §8.3, 7816-4 §8.1.1)', () => {
  it('decode every TA1 nibble to the Fi, f(max) and Di of Tables 7 and 8, RFU as nothing', () => {
    const fi = [372, 372, 558, 744, 1116, 1488, 1860, undefined, undefined, 512, 768, 1024, 1536, 2048];
    const fMax = [4, 5, 6, 8, 12, 16, 20, undefined, undefined, 5, 7.5, 10, 15, 20];
    const di = [undefined, 1, 2, 4, 8, 16, 32, 64, 12, 20];
    expect(FI_TABLE).toHaveLength(16);
    expect(DI_TABLE).toHaveLength(16);
    for (let n = 0; n < 16; n++) {
      expect(FI_TABLE[n], `Fi ${n}`).toEqual(fi[n] === undefined ? undefined : [fi[n], fMax[n]]);
      expect(DI_TABLE[n], `Di ${n}`).toBe(di[n]);
    }
    expect(ta1Factors(0x96)).toEqual({ fi: 512, fMaxMHz: 5, di: 32 });
    expect(ta1Factors(0x70)).toEqual({});
  });

  it('name the compact-TLV tags of the historical bytes', () => {
    expect(COMPACT_TLV_TAGS).toEqual({
      1: 'country code and national data',
      2: 'issuer identification number',
      3: 'card service data',
      4: 'initial access data',
      5: 'card issuer data',
      6: 'pre-issuing data',
      7: 'card capabilities',
      8: 'status indicator',
      15: 'application identifier',
    });
  });
});
