import { PcscliteReaders } from '../../edge-agent/src/readers/pcsclite-readers';

/**
 * Waits until pcscd reports no card in the reader. A card pulled out (its vpcd link
 * closed) still looks present until pcscd's next presence poll; a test that attaches
 * a new card before then would talk to the old one's dead link.
 */
export async function waitForEmptyReader(name: string, timeoutMs = 10_000): Promise<void> {
  const readers = new PcscliteReaders();
  try {
    const deadline = Date.now() + timeoutMs;
    while ((await readers.readers()).some((r) => r.name === name && r.cardPresent)) {
      if (Date.now() > deadline) throw new Error(`reader ${name} still shows a card after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await readers.close();
  }
}
