import { toHex, validateBundle } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { applicationHandlers } from '../applications/application-handlers';
import { InProcessReaders } from '../readers/in-process-readers';
import type { ReaderPort } from '../readers/reader-port';
import type { VirtualCard } from '../virtual-card/virtual-card';
import { systemClock } from './clock';
import { runEncoding } from './job-runner';

function bundle(tag: string) {
  const script = ['01', '02', '03'].map((n) => `RAW:00CA${tag}${n}00`).join('\n');
  const files = { 'e.ini': 'ApplicationList=A\n[A]\nApduFile=s.apdu\n', 's.apdu': script };
  const result = validateBundle({
    files: Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })),
  });
  if (!result.bundle) throw new Error('invalid');
  return result.bundle;
}

describe('one job at a time per reader', () => {
  it('never interleaves the APDUs of two jobs on the same card', async () => {
    const seen: string[] = [];
    // A card that answers slowly, so two unserialised jobs would overlap.
    const card: VirtualCard = {
      atr: Uint8Array.of(0x3b, 0x00),
      reset() {},
      transmit: (c) => {
        seen.push(toHex(c));
        return Uint8Array.of(0x90, 0x00);
      },
    };
    const readers = new InProcessReaders();
    readers.insert('R', card);
    const slow: ReaderPort = {
      readers: () => readers.readers(),
      onEvent: (listener) => readers.onEvent(listener),
      close: () => readers.close(),
      async connect(name) {
        const channel = await readers.connect(name);
        const exchange = async (command: Uint8Array, max: number) => {
          await new Promise((r) => setTimeout(r, 2));
          return channel.exchange(command, max);
        };
        return { ...channel, exchange };
      },
    };
    const common = {
      readers: slow,
      reader: 'R',
      fields: {},
      clock: systemClock,
      prompter: { askPins: async () => [] },
      handlers: applicationHandlers(),
    };
    const [a, b] = await Promise.all([
      runEncoding({ ...common, bundle: bundle('AA') }),
      runEncoding({ ...common, bundle: bundle('BB') }),
    ]);
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(seen.map((c) => c.slice(4, 6)).join('')).toBe('AAAAAABBBBBB');
  });
});
