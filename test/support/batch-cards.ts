import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVirtualCard } from '../../edge-agent/src/virtual-card/card-profile';
import type { VirtualCard } from '../../edge-agent/src/virtual-card/virtual-card';
import type { startSystem } from './e2e-system';

/**
 * What the batch end-to-end tests share (docs/batches.md): an encoding that reads the
 * card's serial (CardSerialField) and writes the card holder's name from the CSV into
 * EF GDO, virtual CardOS cards that differ by serial, and the station's steps — put a
 * card in the reader, take it out — through pcscd + vpcd as an operator would.
 */
export const BATCH_ENCODING = 'batch-gdo';

const text = (value: string) => Buffer.from(value).toString('base64');
export const batchEncodingFiles = [
  {
    name: 'encoding.ini',
    base64: text(
      'CardSerialField=CARD_SERIAL\nApplicationList=Application_1\n\n[Application_1]\nApduFile=personalise.apdu\nApduResponseCodesField=APDU_RESPONSE_CODES_1\n',
    ),
  },
  {
    name: 'personalise.apdu',
    base64: text('RAW[CARD_SERIAL]:00CA018108\nRAW:00A4080C022F02\nDYN:00D60000;<string>HOLDER\n'),
  },
];

/** Card n's serial (8 bytes, hex as the result files it). */
export const serialOf = (n: number) => `0A1B2C3D4E5F60${(0x70 + n).toString(16).toUpperCase()}`;

/** A fresh CardOS card with serial n (EF GDO holds 64 bytes: a longer name fails the card). */
export function batchCard(n: number): VirtualCard {
  const profile = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../examples/cards/cardos.json'), 'utf8'),
  ) as Record<string, unknown>;
  return createVirtualCard({ ...profile, serialNumber: serialOf(n) });
}

type System = Awaited<ReturnType<typeof startSystem>>;

/** Puts card n in reader 0 (answers held by `system.holdNextAnswer`, APDUs counted). */
export function insertBatchCard(system: System, n: number): Promise<void> {
  return system.readers.insert(
    batchCard(n),
    0,
    () => {
      system.counter.apdus++;
      system.hooks.onApdu?.();
    },
    (command) => system.hooks.beforeReply?.(command),
  );
}

export type BatchViewBody = {
  batchId: string;
  state: string;
  reason?: string;
  done: number;
  failed: number;
  running: number;
  remaining?: number;
  currentCard: number;
  cardsPerHour: number;
  cards: { index: number; jobId: string; state: string; serial?: string; atr?: string }[];
};
