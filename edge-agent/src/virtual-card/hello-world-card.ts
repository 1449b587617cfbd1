import { readCommand, reply, SW } from './card-command';
import type { VirtualCard } from './virtual-card';

/**
 * The test applet of the PC/SC seed ("PC/SC sample in different languages"):
 * SELECT A0 00 00 00 62 03 01 0C 06 01, then 00 00 00 00 → "Hello world!" 90 00.
 */
export const HELLO_WORLD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x00, 0x62, 0x03, 0x01, 0x0c, 0x06, 0x01);

export function createHelloWorldCard(atr: Uint8Array): VirtualCard {
  let selected = false;
  return {
    atr,
    reset() {
      selected = false;
    },
    transmit(bytes) {
      const command = readCommand(bytes);
      if (command instanceof Uint8Array) return command;
      if (command.cla !== 0x00) return reply(SW.CLA_NOT_SUPPORTED);
      if (command.ins === 0xa4) {
        selected = command.p1 === 0x04 && Buffer.from(command.data).equals(Buffer.from(HELLO_WORLD_AID));
        return reply(selected ? SW.OK : SW.NOT_FOUND);
      }
      if (command.ins === 0x00 && selected) return reply(SW.OK, new TextEncoder().encode('Hello world!'));
      return reply(SW.INS_NOT_SUPPORTED);
    },
  };
}
