import type { JobResult } from '@cardfleet/shared';

/**
 * The `Prompter` port: how PIN lines reach a person. The CLI asks on the terminal;
 * the daemon serves an operator console. All PIN lines of a script are asked in one
 * call, before the script's first APDU, so a cancelled or timed-out prompt costs the
 * card nothing.
 */
export interface PinRequest {
  /** Script line of the PIN line. */
  line: number;
  /** Text naming the PIN (the description field's value). */
  description: string;
  /** Whole-PIN rule shown to the operator, e.g. "[0-9]{6,8}". */
  rule: string | undefined;
  /** Ask the current PIN too (change-PIN dialog). */
  askOld: boolean;
  /** Ask the card's transport PIN first. */
  askTransport: boolean;
}

export interface PinEntry {
  old?: string;
  transport?: string;
  pin: string;
  confirmation: string;
}

/** The card a request is for, as the runner read it when it connected (job-runner.ts). */
export interface PromptCard {
  reader: string;
  /** Hex. */
  atr: string;
  /** Names its ATR matches (shared atr-match.ts); empty when unknown. */
  cardNames: string[];
}

export interface Prompter {
  /**
   * Asks for every request of one application and resolves with one entry each, in
   * order. Rejects with a CardfleetError (PIN_CANCELLED, PIN_TIMEOUT) when the
   * operator does not answer.
   */
  askPins(application: string, requests: readonly PinRequest[], card?: PromptCard): Promise<PinEntry[]>;
  /** Told how the job ended, so the station can say whether the card took the PIN. */
  jobFinished?(result: JobResult): void;
}
