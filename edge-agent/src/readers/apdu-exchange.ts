import { CardfleetError, type CommandApdu, decodeApdu, encodeApdu } from '@cardfleet/shared';
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
  let decoded: CommandApdu | undefined;
  try {
    decoded = decodeApdu(command);
  } catch {
    decoded = undefined; // a proprietary RAW command: sent as is, no Le handling
  }
  let response = await exchange(channel, command, decoded);
  let exchanges = 1;
  let sw = statusWord(response);
  if (sw >> 8 === 0x6c && decoded) {
    const le = sw & 0xff;
    response = await exchange(channel, encodeApdu({ ...decoded, ne: le === 0 ? 256 : le }), decoded);
    exchanges++;
    sw = statusWord(response);
  }
  const chunks: Uint8Array[] = [response.subarray(0, response.length - 2)];
  let total = chunks[0]?.length ?? 0;
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
      (decoded?.cla ?? 0) & 0x03, // CLA: interindustry, same logical channel
      0xc0, // INS: GET RESPONSE
      0x00, // P1
      0x00, // P2
      le, // Le: the XX of 61XX (00 = 256)
    );
    response = await exchange(channel, getResponse, undefined, (le === 0 ? 256 : le) + 2);
    exchanges++;
    sw = statusWord(response);
    const part = response.subarray(0, response.length - 2);
    chunks.push(part);
    total += part.length;
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return { data, sw, exchanges };
}

async function exchange(
  channel: CardChannel,
  command: Uint8Array,
  decoded: CommandApdu | undefined,
  size?: number,
): Promise<Uint8Array> {
  // The receive buffer always leaves room for the status word.
  const maxResponse = size ?? (decoded ? Math.max(decoded.ne, 256) + 2 : 65538);
  const response = await channel.exchange(command, maxResponse);
  if (response.length < 2)
    throw new CardfleetError(
      'CARD_BAD_RESPONSE',
      `the card answered ${response.length} byte(s), no status word`,
    );
  return response;
}

function statusWord(response: Uint8Array): number {
  return ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
}
