import { join } from 'node:path';
import { CardfleetError, parseHex, toHex } from '@cardfleet/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transmitApdu } from '../../edge-agent/src/readers/apdu-exchange';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { type ReaderRig, readerRigs } from '../support/reader-fixtures';

const cards = join(import.meta.dirname, '../../examples/cards');

describe.each(readerRigs)('reader port contract: $kind', (factory) => {
  let rig: ReaderRig;
  beforeEach(async () => {
    rig = await factory.create();
  });
  afterEach(async () => {
    await rig.close();
  });

  it('lists the reader with the card and its ATR', async () => {
    await rig.insert(loadCardProfile(join(cards, 'cardos.json')));
    const state = (await rig.port.readers()).find((r) => r.name === rig.reader);
    expect(state?.cardPresent).toBe(true);
    expect(toHex(state?.atr ?? new Uint8Array())).toBe('3BD218008131FE58C90217');
  });

  it('runs the PC/SC seed sample on the Hello world applet', async () => {
    await rig.insert(loadCardProfile(join(cards, 'hello-world.json')));
    const channel = await rig.port.connect(rig.reader);
    const select = await transmitApdu(channel, parseHex('00A404000AA00000006203010C0601'));
    const hello = await transmitApdu(channel, parseHex('00000000'));
    await channel.disconnect();
    expect(select.sw).toBe(0x9000);
    expect(new TextDecoder().decode(hello.data)).toBe('Hello world!');
    expect(hello.sw).toBe(0x9000);
  });

  it('follows 61XX with GET RESPONSE and resends once on 6CXX', async () => {
    await rig.insert(loadCardProfile(join(cards, 'cardos.json')));
    const channel = await rig.port.connect(rig.reader);
    const fci = await transmitApdu(channel, parseHex('00A40000022F02'));
    expect(fci).toMatchObject({ sw: 0x9000, exchanges: 2 });
    expect(toHex(fci.data)).toBe('62088002004083022F02');
    await transmitApdu(channel, parseHex('00A4080C025032'));
    const read = await transmitApdu(channel, parseHex('00B0012010'));
    expect(read).toMatchObject({ sw: 0x9000, exchanges: 2 });
    expect(read.data).toHaveLength(12);
    await channel.disconnect();
  });

  it('passes an extended-length APDU unchanged (the seed line ;300)', async () => {
    await rig.insert(loadCardProfile(join(cards, 'cardos.json')));
    const channel = await rig.port.connect(rig.reader);
    // DYN[MY_RESULT]:00AABBCC;FIELD_A+FIELD_B;300 with FIELD_A=A1A2, FIELD_B=B1B2B3
    const outcome = await transmitApdu(channel, parseHex('00AABBCC000005A1A2B1B2B3012C'));
    await channel.disconnect();
    expect(outcome.sw).toBe(0x9000);
    expect(outcome.data).toHaveLength(300);
    expect(toHex(outcome.data.subarray(0, 5))).toBe('A1A2B1B2B3');
  });

  it('fails with CARD_REMOVED when the card is pulled between two APDUs', async () => {
    await rig.insert(loadCardProfile(join(cards, 'cardos.json')));
    const channel = await rig.port.connect(rig.reader);
    expect((await transmitApdu(channel, parseHex('00CA018202'))).sw).toBe(0x9000);
    await rig.remove();
    const error = await transmitApdu(channel, parseHex('00CA018202')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardfleetError);
    expect((error as CardfleetError).code).toBe('CARD_REMOVED');
    await channel.disconnect();
  });

  it('reports hot-plug events: card inserted, card removed', async () => {
    const events: string[] = [];
    const stop = rig.port.onEvent((event) => {
      if (event.reader !== rig.reader) return;
      if (event.type === 'card-inserted') events.push(`inserted ${toHex(event.atr)}`);
      if (event.type === 'card-removed') events.push(event.type);
    });
    await rig.insert(loadCardProfile(join(cards, 'hello-world.json')));
    await rig.remove();
    stop();
    expect(events).toEqual(['inserted 3B8A800148454C4C4F574F524C440B', 'card-removed']);
  });

  it('refuses an unknown reader and an empty one with typed errors', async () => {
    await expect(rig.port.connect('No Such Reader 00 00')).rejects.toMatchObject({ code: 'UNKNOWN_READER' });
    await expect(rig.port.connect(rig.secondReader)).rejects.toMatchObject({ code: 'NO_CARD' });
  });
});
