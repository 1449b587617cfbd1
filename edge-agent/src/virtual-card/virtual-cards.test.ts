import { join } from 'node:path';
import { computeCrResponse, parseHex, readLicense, toHex } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import type { BatchCard } from './batch-card';
import { loadCardProfile } from './card-profile';
import type { CardosCard } from './cardos-card';

const cards = join(import.meta.dirname, '../../../examples/cards');
const send = (card: { transmit(b: Uint8Array): Uint8Array }, hex: string) =>
  toHex(card.transmit(parseHex(hex)));

describe('virtual CardOS card', () => {
  const fresh = () => loadCardProfile(join(cards, 'cardos.json')) as CardosCard;

  it('answers GET DATA version and package info', () => {
    const card = fresh();
    expect(send(card, '00CA018202')).toBe('C9039000');
    expect(send(card, '00CA0188FF')).toMatch(/^0105.*9000$/);
  });

  it('selects EF GDO and writes then reads it back', () => {
    const card = fresh();
    expect(send(card, '00A4080C022F02')).toBe('9000');
    expect(send(card, '00D6000005' + '48454C4C4F')).toBe('9000');
    expect(send(card, '00B0000005')).toBe('48454C4C4F9000');
    expect(toHex(card.readFile('2F02')?.subarray(0, 5) ?? new Uint8Array())).toBe('48454C4C4F');
  });

  it('answers FCI through 61XX and GET RESPONSE, and 6CXX for a wrong Le', () => {
    const card = fresh();
    expect(send(card, '00A40000022F02')).toBe('610A');
    expect(send(card, '00C000000A')).toBe('620880020040830 22F029000'.replace(' ', ''));
    expect(send(card, '00A4080C025032')).toBe('9000');
    expect(send(card, '00B0012C10')).toBe('6C00'); // offset 300 = end: zero bytes left
    expect(send(card, '00B0012010')).toBe('6C0C');
  });

  it('authenticates with the 3DES key and changes it (seed "change ma key")', () => {
    const card = fresh();
    const challenge = parseHex(send(card, '0084000010').slice(0, 32));
    const key = parseHex('404142434445464748494A4B4C4D4E4F');
    const response = toHex(computeCrResponse('RETAIL_MAC', key, challenge));
    expect(send(card, `0082000808${response}`)).toBe('9000');
    const newKey = '00112233445566778899AABBCCDDEEFF';
    expect(send(card, `9024100812 8F18${newKey}`.replace(' ', ''))).toBe('9000');
    expect(toHex(card.keyValue(8) ?? new Uint8Array())).toBe(newKey);
  });

  it('refuses a key change without authentication and counts wrong responses', () => {
    const card = fresh();
    expect(send(card, `9024100812 8F18${'00'.repeat(16)}`.replace(' ', ''))).toBe('6982');
    send(card, '0084000010');
    expect(send(card, `0082000808${'00'.repeat(8)}`)).toBe('63C2');
  });

  it('counts PIN tries, blocks, and unblocks with the PUK (seed 002C0001;NEW_PUK+NEW_PIN)', () => {
    const card = fresh();
    const ascii = (s: string) => toHex(new TextEncoder().encode(s));
    expect(send(card, '0020008100')).toBe('63C3');
    expect(send(card, '00200081')).toBe('63C3');
    expect(send(card, `0020008106${ascii('000000')}`)).toBe('63C2');
    expect(send(card, `0020008106${ascii('000000')}`)).toBe('63C1');
    expect(send(card, `0020008106${ascii('000000')}`)).toBe('6983');
    expect(send(card, `0020008106${ascii('123456')}`)).toBe('6983');
    expect(send(card, `002C00810E${ascii('12345678')}${ascii('654321')}`)).toBe('9000');
    expect(send(card, `0020008106${ascii('654321')}`)).toBe('9000');
    expect(send(card, `002400810C${ascii('654321')}${ascii('111111')}`)).toBe('9000');
    expect(card.pinTriesLeft(0x81)).toBe(3);
  });
});

describe('virtual Idopte batch card', () => {
  const fresh = () => loadCardProfile(join(cards, 'batch.json')) as BatchCard;
  const input = (date: string) => toHex(new TextEncoder().encode(`IDPrime 940     0123456789ABCDEF${date}`));

  it('generates a license through 61 88 and GET RESPONSE', () => {
    const card = fresh();
    expect(send(card, '00A4040C09A0000003634D574C01')).toBe('9000');
    expect(send(card, `00F8000028${input('20261129')}88`)).toBe('6188');
    const response = parseHex(send(card, '00C0000088'));
    expect(toHex(response.subarray(-2))).toBe('9000');
    expect(new TextDecoder().decode(response.subarray(0, 8))).toBe('20271129');
    const terms = readLicense(
      parseHex('6361726466656574206261746368206b6579206f6e6c7920666f722074657374'),
      response.subarray(8, 136),
    );
    expect(terms?.startDate).toBe('20261129');
    expect(card.credit).toBe(2);
  });

  it('answers every status word of the seed', () => {
    const card = fresh();
    expect(send(card, '00A4040C09A0000003634D574C02')).toBe('6999');
    expect(send(card, '80A4040C09A0000003634D574C01')).toBe('6E00');
    expect(send(card, '00A4040009A0000003634D574C01')).toBe('6A86');
    send(card, '00A4040C09A0000003634D574C01');
    expect(send(card, `00F8000027${input('2026112').slice(0, 78)}88`)).toBe('6700');
    expect(send(card, `00F8000028${input('2026XX29')}88`)).toBe('6A80');
    expect(send(card, `00F8010028${input('20261129')}88`)).toBe('6A86');
    for (let i = 0; i < 3; i++) expect(send(card, `00F8000028${input('20261129')}88`)).toBe('6188');
    expect(send(card, `00F8000028${input('20261129')}88`)).toBe('6985');
    expect(card.credit).toBe(0);
  });
});

describe('virtual "Hello world" applet', () => {
  it('answers the PC/SC seed sample', () => {
    const card = loadCardProfile(join(cards, 'hello-world.json'));
    expect(send(card, '00A404000AA00000006203010C0601')).toBe('9000');
    expect(send(card, '00000000')).toBe(`${toHex(new TextEncoder().encode('Hello world!'))}9000`);
  });
});
