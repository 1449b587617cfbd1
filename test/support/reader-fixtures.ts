import { inject } from 'vitest';
import { InProcessReaders } from '../../edge-agent/src/readers/in-process-readers';
import { PcscliteReaders } from '../../edge-agent/src/readers/pcsclite-readers';
import type { ReaderPort } from '../../edge-agent/src/readers/reader-port';
import { waitForCard } from '../../edge-agent/src/readers/wait-for-card';
import type { VirtualCard } from '../../edge-agent/src/virtual-card/virtual-card';
import {
  attachToVpcd,
  type VpcdLink,
  type VpcdLinkOptions,
} from '../../edge-agent/src/virtual-card/vpcd-link';

/**
 * The two implementations of the reader port, set up the same way so one contract
 * suite (and the end-to-end tests) run against both: in-process virtual cards, and
 * pcsclite → pcscd → vpcd → the same virtual cards over TCP.
 */
export interface ReaderRig {
  port: ReaderPort;
  /** Name of the first reader. */
  reader: string;
  secondReader: string;
  /**
   * Puts a card in a reader (0 or 1) and waits until the port sees it. `beforeReply`
   * (pcscd rig only) holds each answer until its promise settles: a slow card.
   */
  insert(
    card: VirtualCard,
    slot?: 0 | 1,
    onApdu?: (command: Uint8Array) => void,
    beforeReply?: VpcdLinkOptions['beforeReply'],
  ): Promise<void>;
  /** Pulls the card out of a reader and waits until the port sees it. */
  remove(slot?: 0 | 1): Promise<void>;
  close(): Promise<void>;
}

export interface ReaderRigFactory {
  kind: string;
  create(): Promise<ReaderRig>;
}

export const inProcessRig: ReaderRigFactory = {
  kind: 'in-process reader',
  async create() {
    const port = new InProcessReaders();
    const names = ['Virtual Reader 0', 'Virtual Reader 1'] as const;
    port.addReader(names[0]);
    port.addReader(names[1]);
    return {
      port,
      reader: names[0],
      secondReader: names[1],
      async insert(card, slot = 0, onApdu, beforeReply) {
        if (beforeReply) throw new Error('a slow card needs the pcscd rig (in-process cards answer at once)');
        const observed: VirtualCard = onApdu
          ? {
              atr: card.atr,
              reset: () => card.reset(),
              transmit: (command) => {
                const response = card.transmit(command);
                onApdu(command);
                return response;
              },
            }
          : card;
        port.insert(names[slot], observed);
      },
      async remove(slot = 0) {
        port.remove(names[slot]);
      },
      close: () => port.close(),
    };
  },
};

export const pcscdRig: ReaderRigFactory = {
  kind: 'pcscd + vpcd',
  async create() {
    const rig = inject('rig');
    const port = new PcscliteReaders();
    const links: (VpcdLink | undefined)[] = [undefined, undefined];
    const waitFor = (slot: 0 | 1, present: boolean) => waitForCard(port, rig.readerNames[slot], present);
    const remove = async (slot: 0 | 1 = 0) => {
      await links[slot]?.close();
      links[slot] = undefined;
      await waitFor(slot, false);
    };
    return {
      port,
      reader: rig.readerNames[0],
      secondReader: rig.readerNames[1],
      async insert(card, slot = 0, onApdu, beforeReply) {
        await waitFor(slot, false); // a card left by an earlier test must be gone first
        const link = attachToVpcd(card, {
          port: rig.vpcdPorts[slot],
          ...(onApdu ? { onApdu } : {}),
          ...(beforeReply ? { beforeReply } : {}),
        });
        links[slot] = link;
        await link.connected;
        await waitFor(slot, true);
      },
      remove,
      async close() {
        // Wait until pcscd has seen the cards leave: otherwise the next test's card
        // could be taken for the old one, which pcscd still believes present.
        for (const slot of [0, 1] as const) if (links[slot]) await remove(slot);
        await port.close();
      },
    };
  },
};

export const readerRigs = [inProcessRig, pcscdRig];
