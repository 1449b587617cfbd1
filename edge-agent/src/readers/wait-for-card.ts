import { CardfleetError } from '@cardfleet/shared';
import type { ReaderPort } from './reader-port';

/**
 * Waits until the reader shows a card (or none). pcscd notices a card arriving or
 * leaving only on its next presence poll: a job started before that finds no card, and
 * a new vpcd card attached before the old one is seen gone talks to a dead link.
 */
export async function waitForCard(
  readers: ReaderPort,
  name: string,
  present: boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await readers.readers()).some((r) => r.name === name && r.cardPresent === present)) {
    if (Date.now() > deadline)
      throw new CardfleetError(
        'READER_TIMEOUT',
        `reader "${name}" did not ${present ? 'show a card' : 'become empty'} within ${timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, 20));
  }
}
