import { CardfleetError, type CommandApdu, concatBytes, decodeApdu, encodeApdu } from '@cardfleet/shared';
import type { CardChannel } from './reader-port';

/**
 * The ISO/IEC 7816-4 transport mechanics the pcsclite binding lacks (§5.3.4 and
 * §11.5.5): 61XX → GET RESPONSE until the data is complete; 6CXX → the command is
 * sent again, once, with Le = XX (the card rejected it before executing, so this is
 * protocol, not a retry of a card operation). Extended-length commands pass unchanged.
 */
export interface ApduOutcome {
  data: Uint8Array;
  /** Final status word (after chaining). */
  sw: number;
  /** Number of exchanges with the card, this command included. */
  exchanges: number;
}

/** At most this many GET RESPONSE rounds: 256 × 256 bytes covers any extended Ne. */
export const MAX_GET_RESPONSE_ROUNDS = 257;

export async function transmitApdu(channel: CardChannel, command: Uint8Array): Promise<ApduOutcome> {
  // Hot path: one await straight on the channel (this runs for every APDU).
  let response = await channel.exchange(command, receiveSize(command));
  if (response.length < 2) throw noStatusWord(response);
  let exchanges = 1;
  let sw = statusWord(response);
  if (sw >> 8 === 0x6c) {
    // Decoded only here, off the common path: a proprietary command that does not
    // decode is not resent.
    const decoded = tryDecode(command);
    if (decoded) {
      const le = sw & 0xff;
      const resent = encodeApdu({ ...decoded, ne: le === 0 ? 256 : le });
      response = await exchange(channel, resent, receiveSize(resent));
      exchanges++;
      sw = statusWord(response);
    }
  }
  if (sw >> 8 !== 0x61) return { data: response.subarray(0, response.length - 2), sw, exchanges };
  const chunks: Uint8Array[] = [response.subarray(0, response.length - 2)];
  while (sw >> 8 === 0x61) {
    if (exchanges > MAX_GET_RESPONSE_ROUNDS) {
      throw new CardfleetError(
        'CARD_ENDLESS_CHAINING',
        'the card keeps answering 61XX; GET RESPONSE stopped',
      );
    }
    const le = sw & 0xff;
    // GET RESPONSE, ISO 7816-4 §11.5.5, on the command's logical channel.
    const getResponse = Uint8Array.of(
      (command[0] ?? 0) & 0x03, // CLA: interindustry, same logical channel
      0xc0, // INS: GET RESPONSE
      0x00, // P1
      0x00, // P2
      le, // Le: the XX of 61XX (00 = 256)
    );
    response = await exchange(channel, getResponse, (le === 0 ? 256 : le) + 2);
    exchanges++;
    sw = statusWord(response);
    const part = response.subarray(0, response.length - 2);
    chunks.push(part);
  }
  return { data: concatBytes(chunks), sw, exchanges };
}

/**
 * Receive buffer for a command: its Ne plus the status word, at least 258 bytes;
 * read from the length fields by arithmetic alone (ISO 7816-4 §5.2), since this runs
 * for every APDU. A command that matches no case gets the largest buffer.
 */
export function receiveSize(command: Uint8Array): number {
  const n = command.length - 4;
  let ne: number;
  if (n <= 0) ne = 0;
  else if (n === 1) ne = command[4] || 256;
  else if (command[4] !== 0) {
    const lc = command[4] ?? 0;
    ne = n === 1 + lc ? 0 : n === 2 + lc ? command[command.length - 1] || 256 : 65536;
  } else if (n === 3) ne = ((command[5] ?? 0) << 8) | (command[6] ?? 0) || 65536;
  else {
    const lc = ((command[5] ?? 0) << 8) | (command[6] ?? 0);
    ne =
      n === 3 + lc
        ? 0
        : n === 5 + lc
          ? ((command[command.length - 2] ?? 0) << 8) | (command[command.length - 1] ?? 0) || 65536
          : 65536;
  }
  return Math.max(ne, 256) + 2;
}

function tryDecode(command: Uint8Array): CommandApdu | undefined {
  try {
    return decodeApdu(command);
  } catch {
    return undefined;
  }
}

async function exchange(channel: CardChannel, command: Uint8Array, maxResponse: number): Promise<Uint8Array> {
  const response = await channel.exchange(command, maxResponse);
  if (response.length < 2) throw noStatusWord(response);
  return response;
}

function statusWord(response: Uint8Array): number {
  return ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
}

function noStatusWord(response: Uint8Array): CardfleetError {
  return new CardfleetError(
    'CARD_BAD_RESPONSE',
    `the card answered ${response.length} byte(s), no status word`,
  );
}
