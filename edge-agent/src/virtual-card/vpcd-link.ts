import { createConnection, type Socket } from 'node:net';
import type { VirtualCard } from './virtual-card';

/**
 * Attaches a VirtualCard to vsmartcard's vpcd driver inside pcscd.
 *
 * vpcd protocol (the card is the TCP client): every message is a 2-byte big-endian
 * length followed by the payload. A 1-byte payload is a control code
 * (0 power off, 1 power on, 2 reset, 4 get ATR); anything longer is a C-APDU that
 * the card answers with an R-APDU. pcscd sees the card as inserted while the
 * connection is open and as removed when it closes.
 */
export const VPCD_DEFAULT_PORT = 35963;

/** `host:port`, `host` or `:port` (empty parts default to 127.0.0.1 and 35963). */
export function parseVpcdAddress(text = ''): { host: string; port: number } {
  const [host, portText] = text.split(':');
  return { host: host || '127.0.0.1', port: portText ? Number(portText) : VPCD_DEFAULT_PORT };
}

const CONTROL_POWER_OFF = 0;
const CONTROL_POWER_ON = 1;
const CONTROL_RESET = 2;
const CONTROL_GET_ATR = 4;

export interface VpcdLinkOptions {
  host?: string;
  port?: number;
  /** Called for every C-APDU after it was answered (tests count APDUs with it). */
  onApdu?: (command: Uint8Array, response: Uint8Array) => void;
  /**
   * When it returns a promise, the answer waits for it (tests: a slow card, so a fault
   * lands while a job runs). pcscd sends one APDU at a time, so order is kept.
   */
  beforeReply?: (command: Uint8Array) => Promise<void> | undefined;
}

export interface VpcdLink {
  /** Resolves once the TCP connection to vpcd is established. */
  readonly connected: Promise<void>;
  /** Resolves when the link is closed (by us or by pcscd). */
  readonly closed: Promise<void>;
  /** Pulls the card out of the reader. */
  close(): Promise<void>;
}

export function attachToVpcd(card: VirtualCard, options: VpcdLinkOptions = {}): VpcdLink {
  const socket: Socket = createConnection({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? VPCD_DEFAULT_PORT,
  });
  socket.setNoDelay(true);
  let pending: Buffer = Buffer.alloc(0);

  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {
    /* surfaced through `connected`/`closed`; a dropped link is a card removal */
  });

  const reply = (payload: Uint8Array): void => {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  };

  const handle = (message: Buffer): void => {
    if (message.length === 1) {
      const code = message[0];
      if (code === CONTROL_GET_ATR) reply(card.atr);
      else if (code === CONTROL_RESET || code === CONTROL_POWER_ON || code === CONTROL_POWER_OFF)
        card.reset();
      return;
    }
    const answer = () => {
      const response = card.transmit(message);
      reply(response);
      options.onApdu?.(message, response);
    };
    const wait = options.beforeReply?.(message);
    if (wait) void wait.then(answer, answer);
    else answer();
  };

  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      handle(pending.subarray(2, 2 + length));
      pending = pending.subarray(2 + length);
    }
  });

  return {
    connected,
    closed,
    close: async () => {
      socket.end();
      socket.destroy();
      await closed;
    },
  };
}
