import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { GEMALTO_MIDDLEWARE_ATRS, matchCardNames, parseAtr, parseHex, toHex } from '@cardfleet/shared';
import { loadSystemSmartcardList } from '@cardfleet/shared/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { atrJson } from '../../edge-agent/src/cli/atr-command';
import { atrAnalysis, privateCache } from './atr-analysis';
import { comparable, comparableAnalysis } from './atr-compare';
import { SMARTCARD_LIST_CORPUS } from './atr-corpus';

// Uses no card reader: pcsc-tools' ATR_analysis only parses the ATR it is given.
const root = join(import.meta.dirname, '../..');
const bin = join(root, 'edge-agent/bin/cardfleet-agent.mjs');
const GEMALTO_ATRS = GEMALTO_MIDDLEWARE_ATRS.map((c) =>
  toHex(parseHex((c.source.split('/')[0] ?? '').trim())),
);
const listAtrs = SMARTCARD_LIST_CORPUS.flatMap((f) => f.atrs);

function ours(hex: string) {
  const atr = parseAtr(parseHex(hex));
  return atrJson(atr, matchCardNames(atr.bytes, [GEMALTO_MIDDLEWARE_ATRS, loadSystemSmartcardList()]));
}

describe('ATR corpus against pcsc-tools ATR_analysis', () => {
  let cache: string;
  beforeAll(() => {
    cache = privateCache();
  });

  it('covers T=0, T=1, T=15, several TD bytes, irregular ATRs and non-ASCII names', () => {
    expect(listAtrs.length).toBeGreaterThanOrEqual(60);
    expect(new Set(listAtrs).size).toBe(listAtrs.length);
    const all = listAtrs.map(ours);
    expect(all.some((a) => a.protocols.includes(15))).toBe(true);
    expect(all.some((a) => a.interfaceBytes.filter((b) => b.name.startsWith('TD')).length >= 3)).toBe(true);
    for (const code of ['ATR_TRUNCATED', 'ATR_TRAILING_BYTES', 'ATR_TCK_MISSING', 'ATR_TCK_UNEXPECTED'])
      expect(all.some((a) => a.warnings.some((w) => w.code === code))).toBe(true);
    expect(all.some((a) => a.cardNames.some((n) => /[^\x20-\x7e]/.test(n)))).toBe(true);
  });

  it('agrees with ATR_analysis on every smartcard_list.txt entry of the corpus', () => {
    for (const hex of listAtrs) {
      expect(comparable(ours(hex)), hex).toEqual(comparableAnalysis(atrAnalysis(hex, cache)));
    }
  }, 120_000);

  it('agrees with ATR_analysis on every entry of the Gemalto guide ATR list, and names each', () => {
    expect(GEMALTO_ATRS).toHaveLength(18);
    GEMALTO_ATRS.forEach((hex, i) => {
      const mine = ours(hex);
      expect(mine.cardNames, hex).toContain(`Gemalto IDPrime / SafeNet (middleware ATR${i + 1})`);
      expect(comparable(mine), hex).toEqual(comparableAnalysis(atrAnalysis(hex, cache)));
    });
  }, 60_000);

  it('prints through the real CLI exactly what the library gives, UTF-8 names included', () => {
    // One regular ATR with a non-ASCII name, ATR10 (extra bytes), a T=1 ATR without TCK.
    for (const hex of ['3B021435', '3B0000417374726964', '3B8D0180FBA000000397425446590401']) {
      const printed = execFileSync(process.execPath, [bin, 'atr', hex, '--json'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(JSON.parse(printed), hex).toEqual(ours(hex));
      expect(comparable(JSON.parse(printed)), hex).toEqual(comparableAnalysis(atrAnalysis(hex, cache)));
    }
    expect(ours('3B021435').cardNames).toContain('cartão cidadão (eID)');
  }, 60_000);
});
