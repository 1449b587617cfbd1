import { addDays, BATCH_CARD_AID_HEX, GENERATE_LICENSE_LC, mintLicense } from '@cardfleet/shared';
import { hexKey, ResponseBuffer, readCommand, reply, SW } from './card-command';
import type { VirtualCard } from './virtual-card';

/**
 * The Idopte batch card of the license seed: SELECT of its AID, then GENERATE
 * LICENSE (INS F8) answered with 61 88 and the 136 bytes through GET RESPONSE; a
 * credit counter that refuses with 6985 at zero; and every status word the seed lists.
 * GET DATA 00 CA 01 01 (remaining credit, 2 bytes) is this simulator's addition: real
 * batch cards show it in Idopte's Smart Card Manager.
 */
export interface BatchCardOptions {
  atr: Uint8Array;
  credit: number;
  validityDays: number;
  /** Key the simulator signs licenses with (the vendor test module shares it). */
  licenseKey: Uint8Array;
}

export interface BatchCard extends VirtualCard {
  readonly credit: number;
  readonly issued: number;
}

export function createBatchCard(options: BatchCardOptions): BatchCard {
  let credit = options.credit;
  let issued = 0;
  let selected = false;
  const buffer = new ResponseBuffer();
  return {
    atr: options.atr,
    get credit() {
      return credit;
    },
    get issued() {
      return issued;
    },
    reset() {
      selected = false;
      buffer.clear();
    },
    transmit(bytes) {
      const command = readCommand(bytes);
      if (command instanceof Uint8Array) return command;
      if (command.cla !== 0x00) return reply(SW.CLA_NOT_SUPPORTED);
      if (command.ins === 0xc0) return buffer.getResponse(command);
      buffer.clear();
      switch (command.ins) {
        case 0xa4: {
          if (command.p1 !== 0x04 || command.p2 !== 0x0c) return reply(SW.WRONG_P1P2);
          selected = hexKey(command.data) === BATCH_CARD_AID_HEX;
          return reply(selected ? SW.OK : 0x6999); // seed: 6999 wrong application AID
        }
        case 0xf8: {
          if (!selected) return reply(SW.INS_NOT_SUPPORTED);
          if (command.p1 !== 0 || command.p2 !== 0) return reply(SW.WRONG_P1P2);
          if (command.data.length !== GENERATE_LICENSE_LC) return reply(SW.WRONG_LENGTH);
          const startDate = new TextDecoder().decode(command.data.subarray(32, 40));
          if (!isDate(startDate)) return reply(SW.WRONG_DATA); // seed: date incorrectly formatted
          if (credit <= 0) return reply(SW.CONDITIONS_NOT_SATISFIED); // seed: no more credit
          credit--;
          issued++;
          const endDate = addDays(startDate, options.validityDays);
          const license = mintLicense(options.licenseKey, {
            model: command.data.slice(0, 16),
            serial: command.data.slice(16, 32),
            startDate,
            endDate,
          });
          return buffer.announce(Uint8Array.of(...new TextEncoder().encode(endDate), ...license));
        }
        case 0xca:
          if (command.p1 === 0x01 && command.p2 === 0x01)
            return reply(SW.OK, Uint8Array.of(credit >> 8, credit & 0xff));
          return reply(SW.DATA_NOT_FOUND);
        default:
          return reply(SW.INS_NOT_SUPPORTED);
      }
    },
  };
}

function isDate(text: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return false;
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
