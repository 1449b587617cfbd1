import { InProcessReaders } from '../readers/in-process-readers';
import { PcscliteReaders } from '../readers/pcsclite-readers';
import type { ReaderPort } from '../readers/reader-port';
import { loadCardProfile } from '../virtual-card/card-profile';

/** pcscd through pcsclite, or — with --card — one in-process reader holding that virtual card. */
export function openReaders(cardProfile: string | undefined): ReaderPort {
  if (!cardProfile) return new PcscliteReaders();
  const readers = new InProcessReaders();
  readers.insert('Virtual Reader 0', loadCardProfile(cardProfile));
  return readers;
}
