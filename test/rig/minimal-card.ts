import { randomBytes } from 'node:crypto';
import type { VirtualCard } from '../../edge-agent/src/virtual-card/virtual-card';

/**
 * The smallest card that proves the rig: SELECT (ISO 7816-4 §11.2.2) answers 9000,
 * GET CHALLENGE (§11.5.3) answers Le random bytes + 9000, anything else 6D00.
 * The full stateful cards live in edge-agent/src/virtual-card/.
 */
export function createMinimalCard(): VirtualCard & { commands: Uint8Array[] } {
  const commands: Uint8Array[] = [];
  return {
    // 3B 02 14 50: direct convention, no interface bytes, 2 historical bytes.
    atr: Uint8Array.of(0x3b, 0x02, 0x14, 0x50),
    commands,
    reset() {},
    transmit(command) {
      commands.push(command);
      const ins = command[1];
      if (ins === 0xa4) return Uint8Array.of(0x90, 0x00);
      if (ins === 0x84 && command.length === 5) {
        const le = command[4] === 0 ? 256 : (command[4] ?? 0);
        return Uint8Array.of(...randomBytes(le), 0x90, 0x00);
      }
      return Uint8Array.of(0x6d, 0x00);
    },
  };
}
