import { CardfleetError } from '@cardfleet/shared';
import type { VirtualCard } from '../virtual-card/virtual-card';
import type { CardChannel, ReaderEvent, ReaderPort, ReaderState } from './reader-port';

/**
 * Readers that live in this process, holding virtual cards: the reader port without
 * pcscd (used by `npm start` on machines without PC/SC, and in contract tests).
 */
export class InProcessReaders implements ReaderPort {
  private readonly slots = new Map<string, VirtualCard | undefined>();
  private readonly listeners = new Set<(event: ReaderEvent) => void>();
  /** Bumped on every insert/remove so a channel notices its card left. */
  private readonly generation = new Map<string, number>();

  addReader(name: string): void {
    if (this.slots.has(name)) return;
    this.slots.set(name, undefined);
    this.emit({ type: 'reader-added', reader: name });
  }

  insert(reader: string, card: VirtualCard): void {
    this.addReader(reader);
    this.slots.set(reader, card);
    this.generation.set(reader, (this.generation.get(reader) ?? 0) + 1);
    card.reset();
    this.emit({ type: 'card-inserted', reader, atr: card.atr });
  }

  remove(reader: string): void {
    if (!this.slots.get(reader)) return;
    this.slots.set(reader, undefined);
    this.generation.set(reader, (this.generation.get(reader) ?? 0) + 1);
    this.emit({ type: 'card-removed', reader });
  }

  async readers(): Promise<ReaderState[]> {
    return [...this.slots].map(([name, card]) => ({ name, cardPresent: card !== undefined, atr: card?.atr }));
  }

  async connect(reader: string): Promise<CardChannel> {
    if (!this.slots.has(reader)) throw new CardfleetError('UNKNOWN_READER', `no reader named "${reader}"`);
    const card = this.slots.get(reader);
    if (!card) throw new CardfleetError('NO_CARD', `no card in "${reader}"`);
    const generation = this.generation.get(reader);
    let open = true;
    return {
      reader,
      atr: card.atr,
      protocol: 'T=1',
      exchange: async (command) => {
        if (!open) throw new CardfleetError('CARD_NOT_CONNECTED', `the connection to "${reader}" is closed`);
        if (this.generation.get(reader) !== generation)
          throw new CardfleetError('CARD_REMOVED', `the card was removed from "${reader}"`);
        return card.transmit(command);
      },
      disconnect: async () => {
        open = false;
      },
    };
  }

  onEvent(listener: (event: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private emit(event: ReaderEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
