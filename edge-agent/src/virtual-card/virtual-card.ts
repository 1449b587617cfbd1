/**
 * A card simulator: something that answers C-APDUs with R-APDUs (ISO 7816-4 §5).
 * The same object serves in-process readers and the vpcd link, so a simulator is
 * checked by the same contract tests as the real pcscd path.
 */
export interface VirtualCard {
  /** Answer-to-reset sent when the reader asks (ISO 7816-3 §8). */
  readonly atr: Uint8Array;
  /** Cold or warm reset: volatile state (selected file, challenge, auth) is lost. */
  reset(): void;
  /** One command/response pair; the result always ends with SW1 SW2. */
  transmit(command: Uint8Array): Uint8Array;
}
