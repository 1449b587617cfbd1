import { CardfleetError } from '@cardfleet/shared';
import { CONTEXT_LOST_CODES, pcscError } from './pcsc-errors';
import { loadPcsclite, type PcscLite, type PcscLiteFactory } from './pcsclite-binding';
import type { CardChannel, CardProtocol, ReaderEvent, ReaderPort, ReaderState } from './reader-port';

type Reader = Parameters<Parameters<PcscLite['on']>[1]>[0];

export interface PcscliteReadersOptions {
  factory?: PcscLiteFactory;
  /** How long `readers()`/`connect()` wait for pcscd to report (ms). */
  settleMs?: number;
  /** Delay before re-creating a lost context (ms). */
  recoverDelayMs?: number;
}

interface Tracked {
  reader: Reader;
  state: ReaderState;
}

/**
 * The reader port on pcscd through node-pcsclite. Connects in SHARED mode (the
 * binding's default is EXCLUSIVE, which would lock out PKCS#11 middleware) with the
 * protocol pcscd negotiates. node-pcsclite does not recover its context after pcscd
 * restarts, so on a lost context this adapter throws the instance away and creates a
 * new one — the agent keeps running.
 */
export class PcscliteReaders implements ReaderPort {
  private readonly factory: PcscLiteFactory;
  private readonly settleMs: number;
  private readonly recoverDelayMs: number;
  private pcsc: PcscLite | undefined;
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners = new Set<(event: ReaderEvent) => void>();
  private readonly waiters = new Set<() => void>();
  private recoverTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private startedAt = 0;

  constructor(options: PcscliteReadersOptions = {}) {
    this.factory = options.factory ?? loadPcsclite();
    this.settleMs = options.settleMs ?? 1500;
    this.recoverDelayMs = options.recoverDelayMs ?? 250;
    this.start();
  }

  async readers(): Promise<ReaderState[]> {
    await this.waitUntil(() => this.settled());
    return [...this.tracked.values()].map((t) => ({ ...t.state }));
  }

  async connect(name: string): Promise<CardChannel> {
    await this.waitUntil(
      () => this.tracked.get(name)?.state.cardPresent === true || this.settled(),
      this.settleMs * 3,
    );
    const tracked = this.tracked.get(name);
    if (!tracked) throw new CardfleetError('UNKNOWN_READER', `no reader named "${name}"`);
    if (!tracked.state.cardPresent || !tracked.state.atr)
      throw new CardfleetError('NO_CARD', `no card in "${name}"`);
    const { reader } = tracked;
    const atr = tracked.state.atr;
    if (reader.connected)
      await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
    const protocolValue = await new Promise<number>((resolve, reject) =>
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err, protocol) =>
        err ? reject(this.fail('SCardConnect', err, name)) : resolve(protocol),
      ),
    );
    const protocol: CardProtocol = protocolValue === reader.SCARD_PROTOCOL_T0 ? 'T=0' : 'T=1';
    let open = true;
    return {
      reader: name,
      atr,
      protocol,
      exchange: (command, maxResponse) =>
        new Promise((resolve, reject) => {
          if (!open) {
            reject(new CardfleetError('CARD_NOT_CONNECTED', `the connection to "${name}" is closed`));
            return;
          }
          reader.transmit(
            Buffer.from(command.buffer, command.byteOffset, command.byteLength),
            maxResponse,
            protocolValue,
            (err, data) => {
              if (!err) return resolve(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
              this.explainTransmitFailure(this.fail('SCardTransmit', err, name), name).then(reject);
            },
          );
        }),
      disconnect: () =>
        new Promise((resolve) => {
          if (!open) return resolve();
          open = false;
          // LEAVE_CARD: the next application (or middleware) finds the card as we left it.
          reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve());
        }),
    };
  }

  onEvent(listener: (event: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.recoverTimer);
    this.listeners.clear();
    this.teardown();
  }

  private start(): void {
    this.startedAt = Date.now();
    const pcsc = this.factory();
    this.pcsc = pcsc;
    pcsc.on('error', (error) => this.lost(error));
    pcsc.on('reader', (reader: Reader) => {
      const state: ReaderState = { name: reader.name, cardPresent: false, atr: undefined };
      this.tracked.set(reader.name, { reader, state });
      this.emit({ type: 'reader-added', reader: reader.name });
      reader.on('error', (error) => {
        // A reader's status loop fails when pcscd goes away (RPC transport error).
        const typed = pcscError('SCardGetStatusChange', error, reader.name);
        if (CONTEXT_LOST_CODES.has(typed.code)) this.lost(typed);
      });
      reader.on('status', (status) => {
        const present =
          (status.state & reader.SCARD_STATE_PRESENT) !== 0 && (status.state & reader.SCARD_STATE_MUTE) === 0;
        const atr = present && status.atr && status.atr.length > 0 ? new Uint8Array(status.atr) : undefined;
        const wasPresent = state.cardPresent;
        state.cardPresent = atr !== undefined;
        state.atr = atr;
        if (!wasPresent && atr) this.emit({ type: 'card-inserted', reader: reader.name, atr });
        if (wasPresent && !atr) this.emit({ type: 'card-removed', reader: reader.name });
        this.notify();
      });
      reader.on('end', () => {
        if (this.tracked.get(reader.name)?.reader !== reader) return;
        this.tracked.delete(reader.name);
        this.emit({ type: 'reader-removed', reader: reader.name });
        this.notify();
      });
    });
  }

  /** pcscd went away: forget this context and build a new one shortly. */
  private lost(_error: unknown): void {
    if (this.closed || this.recoverTimer) return;
    this.teardown();
    this.recoverTimer = setTimeout(() => {
      this.recoverTimer = undefined;
      if (this.closed) return;
      try {
        this.start();
      } catch (error) {
        // pcscd is not back yet (SCardEstablishContext: service not available): try again.
        this.lost(error);
      }
    }, this.recoverDelayMs);
  }

  private teardown(): void {
    const pcsc = this.pcsc;
    this.pcsc = undefined;
    for (const { reader, state } of this.tracked.values()) {
      if (state.cardPresent) this.emit({ type: 'card-removed', reader: state.name });
      reader.removeAllListeners();
      // The dead context's threads may still report; keep their errors handled.
      reader.on('error', () => undefined);
      // Stops the reader's status thread; without it the process cannot exit.
      try {
        reader.close();
      } catch {
        // already closed by a lost context
      }
    }
    this.tracked.clear();
    try {
      pcsc?.removeAllListeners();
      pcsc?.on('error', () => undefined);
      pcsc?.close();
    } catch {
      // a dead context may refuse to close; it is dropped either way
    }
  }

  private fail(operation: string, cause: unknown, reader: string): CardfleetError {
    const error = pcscError(operation, cause, reader);
    if (CONTEXT_LOST_CODES.has(error.code)) this.lost(error);
    return error;
  }

  /**
   * A card pulled out mid-exchange often surfaces as a generic transport error
   * (SCARD_E_NOT_TRANSACTED) before pcscd's next poll marks it removed. Wait for that
   * poll (bounded) so the job fails with the real reason.
   */
  private async explainTransmitFailure(error: CardfleetError, name: string): Promise<CardfleetError> {
    if (
      error.code !== 'CARD_NOT_TRANSACTED' &&
      error.code !== 'PCSC_ERROR' &&
      error.code !== 'CARD_UNRESPONSIVE'
    )
      return error;
    await this.waitUntil(() => this.tracked.get(name)?.state.cardPresent !== true, 1500);
    if (this.tracked.get(name)?.state.cardPresent === true) return error;
    return new CardfleetError('CARD_REMOVED', `SCardTransmit: the card was removed ("${name}")`, {
      cause: error,
    });
  }

  /** Settled = every known reader has reported a status, or pcscd had time to report. */
  private settled(): boolean {
    if (!this.pcsc) return false;
    const all = [...this.tracked.values()];
    if (all.length > 0 && all.every((t) => t.reader.state !== undefined)) return true;
    return Date.now() - this.startedAt >= this.settleMs;
  }

  private waitUntil(condition: () => boolean, timeoutMs = this.settleMs * 2): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      // Bounded: a reader that never reports does not hang the agent.
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve();
      }, timeoutMs);
      this.waiters.add(check);
      const poll = setInterval(() => {
        if (!this.waiters.has(check)) clearInterval(poll);
        else check();
      }, 50);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private emit(event: ReaderEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
