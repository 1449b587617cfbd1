/**
 * ISO/IEC 7816-3:2006 tables used to decode TA1 (§8.3): clock rate conversion
 * factor Fi with its maximum frequency f(max) (Table 7), and baud rate adjustment
 * factor Di (Table 8). `undefined` = RFU.
 */
export const FI_TABLE: readonly (readonly [fi: number, fMaxMHz: number] | undefined)[] = [
  [372, 4],
  [372, 5],
  [558, 6],
  [744, 8],
  [1116, 12],
  [1488, 16],
  [1860, 20],
  undefined,
  undefined,
  [512, 5],
  [768, 7.5],
  [1024, 10],
  [1536, 15],
  [2048, 20],
  undefined,
  undefined,
];

export const DI_TABLE: readonly (number | undefined)[] = [
  undefined,
  1,
  2,
  4,
  8,
  16,
  32,
  64,
  12,
  20,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
];

/** ISO/IEC 7816-4 §8.1.1 compact-TLV tags of the historical bytes. */
export const COMPACT_TLV_TAGS: Readonly<Record<number, string>> = {
  1: 'country code and national data',
  2: 'issuer identification number',
  3: 'card service data',
  4: 'initial access data',
  5: 'card issuer data',
  6: 'pre-issuing data',
  7: 'card capabilities',
  8: 'status indicator',
  15: 'application identifier',
};
