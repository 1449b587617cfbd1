/**
 * The agent's view of card readers (docs/architecture.md, "Ports and their
 * implementations"). Implemented by the pcsclite adapter (real pcscd) and by the
 * in-process reader (virtual cards without pcscd); one contract test suite runs against
 * both.
 */
export interface ReaderState {
  name: string;
  cardPresent: boolean;
  /** ATR of the card in the reader, when one is present. */
  atr: Uint8Array | undefined;
}

export type ReaderEvent =
  | { type: 'reader-added' | 'reader-removed'; reader: string }
  | { type: 'card-inserted'; reader: string; atr: Uint8Array }
  | { type: 'card-removed'; reader: string };

export type CardProtocol = 'T=0' | 'T=1';

/** A connection to the card in one reader (shared mode, so middleware can share it). */
export interface CardChannel {
  readonly reader: string;
  readonly atr: Uint8Array;
  readonly protocol: CardProtocol;
  /**
   * One raw command/response exchange (SCardTransmit). `maxResponse` is the largest
   * R-APDU expected, status word included. No ISO 7816-4 chaining here: see
   * apdu-exchange.ts.
   */
  exchange(command: Uint8Array, maxResponse: number): Promise<Uint8Array>;
  disconnect(): Promise<void>;
}

export interface ReaderPort {
  readers(): Promise<ReaderState[]>;
  connect(reader: string): Promise<CardChannel>;
  /** Subscribes to hot-plug events; returns the unsubscribe function. */
  onEvent(listener: (event: ReaderEvent) => void): () => void;
  close(): Promise<void>;
}
