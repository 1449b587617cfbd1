import { type CommandApdu, decodeApdu } from '@cardfleet/shared';

/**
 * Shared plumbing of the virtual cards: command decoding the way a card does it
 * (by length, ISO 7816-4 §5.2), status-word replies, and the T=0-style response
 * buffer behind 61XX / GET RESPONSE (§5.3.4 and §11.5.5 GET RESPONSE, INS C0).
 */
export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  NOT_FOUND: 0x6a82,
  NOT_ENOUGH_MEMORY: 0x6a84,
  WRONG_P1P2: 0x6a86,
  DATA_NOT_FOUND: 0x6a88,
  WRONG_OFFSET: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export function reply(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** Decodes a command; a malformed length field is the card's 6700. */
export function readCommand(bytes: Uint8Array): CommandApdu | Uint8Array {
  try {
    return decodeApdu(bytes);
  } catch {
    return reply(SW.WRONG_LENGTH);
  }
}

/** Whether Le asked for "as much as there is" (00 / 0000). */
export function isMaxNe(ne: number): boolean {
  return ne === 256 || ne === 65536;
}

/**
 * Pending response data released by GET RESPONSE. A card that answers 61XX keeps the
 * data here; any other command discards it.
 */
export class ResponseBuffer {
  private pending: Uint8Array | undefined;

  /** Announces `data` with 61XX (XX = length, 00 meaning 256 or more). */
  announce(data: Uint8Array): Uint8Array {
    this.pending = data;
    return reply(0x6100 | (Math.min(data.length, 256) % 256));
  }

  clear(): void {
    this.pending = undefined;
  }

  /** GET RESPONSE (00 C0 00 00 Le). */
  getResponse(command: CommandApdu): Uint8Array {
    const data = this.pending;
    if (!data) return reply(SW.CONDITIONS_NOT_SATISFIED);
    if (command.p1 !== 0 || command.p2 !== 0) return reply(SW.WRONG_P1P2);
    const ne = command.ne === 0 ? 256 : command.ne;
    if (ne > data.length && !isMaxNe(ne)) return reply(0x6c00 | data.length);
    const part = data.subarray(0, Math.min(ne, data.length));
    const rest = data.subarray(part.length);
    if (rest.length === 0) {
      this.pending = undefined;
      return reply(SW.OK, part);
    }
    this.pending = rest;
    return reply(0x6100 | (Math.min(rest.length, 256) % 256), part);
  }
}

export function hexKey(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
