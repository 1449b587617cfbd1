import { PcscliteReaders } from '../../edge-agent/src/readers/pcsclite-readers';
import { waitForCard } from '../../edge-agent/src/readers/wait-for-card';

/** Waits until pcscd reports no card in the reader (see waitForCard for why). */
export async function waitForEmptyReader(name: string, timeoutMs = 10_000): Promise<void> {
  const readers = new PcscliteReaders();
  try {
    await waitForCard(readers, name, false, timeoutMs);
  } finally {
    await readers.close();
  }
}
