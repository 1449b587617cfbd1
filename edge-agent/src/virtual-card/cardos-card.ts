import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type CommandApdu, computeCrResponse } from '@cardfleet/shared';
import { hexKey, isMaxNe, ResponseBuffer, readCommand, reply, SW } from './card-command';
import { type PinSpec, PinStore } from './pin-store';
import type { VirtualCard } from './virtual-card';

/**
 * A CardOS-like PKI card covering every command of the APDU seed's examples:
 * GET DATA (00 CA: version 0182, package info 0188, serial 0181), SELECT (00 A4), READ/UPDATE BINARY (00 B0 / 00 D6), GET CHALLENGE
 * (00 84), EXTERNAL AUTHENTICATE (00 82), the proprietary key change 90 24 10 KID
 * (data 8F18 ‖ new key), VERIFY (00 20), CHANGE REFERENCE DATA (00 24) and RESET
 * RETRY COUNTER (00 2C), GET RESPONSE (00 C0). State is kept like a card keeps it:
 * keys, PINs and files persist across resets; selection, challenge and
 * authentication do not.
 */
export interface CardKey {
  type: '3des' | 'aes256';
  value: Uint8Array;
  maxTries: number;
}

export interface CardosOptions {
  atr: Uint8Array;
  /** GET DATA 0182 / 0188. */
  version: Uint8Array;
  packageInfo: Uint8Array;
  /**
   * GET DATA 0181: the chip serial number. CardOS V5 answers 8 bytes (OpenSC reads the
   * CardOS serial with GET DATA 00 CA 01 81, card-cardos.c); a card made without one
   * answers 6A88, like a card whose serial cannot be read.
   */
  serialNumber?: Uint8Array;
  /** Selectable application AIDs (hex). */
  applications: readonly string[];
  /** Transparent EFs by FID (hex): fixed size, initial content. */
  files: ReadonlyMap<string, Uint8Array>;
  keys: ReadonlyMap<number, CardKey>;
  pins: ReadonlyMap<number, PinSpec>;
  /** Optional test instruction answering Ne bytes (used for extended-length tests). */
  loopbackIns?: number;
}

export interface CardosCard extends VirtualCard {
  readFile(fid: string): Uint8Array | undefined;
  keyValue(kid: number): Uint8Array | undefined;
  pinTriesLeft(ref: number): number | undefined;
}

export function createCardosCard(options: CardosOptions): CardosCard {
  const files = new Map([...options.files].map(([fid, content]) => [fid.toUpperCase(), content.slice()]));
  const keys = new Map([...options.keys].map(([kid, key]) => [kid, { ...key, tries: key.maxTries }]));
  const pins = new PinStore(options.pins);
  const buffer = new ResponseBuffer();
  let selectedEf: string | undefined;
  let challenge: Uint8Array | undefined;
  const authenticated = new Set<number>();

  const select = (c: CommandApdu): Uint8Array => {
    let target: string | undefined;
    if (c.p1 === 0x04) {
      const aid = hexKey(c.data);
      if (!options.applications.includes(aid)) return reply(SW.NOT_FOUND);
      selectedEf = undefined;
      return c.p2 === 0x0c
        ? reply(SW.OK)
        : buffer.announce(Uint8Array.of(0x6f, c.data.length + 2, 0x84, c.data.length, ...c.data));
    }
    if (c.p1 === 0x00 || c.p1 === 0x02) target = c.data.length === 2 ? hexKey(c.data) : undefined;
    else if (c.p1 === 0x08)
      target =
        c.data.length >= 2 && c.data.length % 2 === 0
          ? hexKey(c.data.subarray(c.data.length - 2))
          : undefined;
    else return reply(SW.WRONG_P1P2);
    if (target === undefined) return reply(SW.WRONG_LENGTH);
    if (target === '3F00') {
      selectedEf = undefined;
      return reply(SW.OK);
    }
    const content = files.get(target);
    if (!content) return reply(SW.NOT_FOUND);
    selectedEf = target;
    if (c.p2 === 0x0c) return reply(SW.OK);
    // FCP template (ISO 7816-4 §7.4.3): 80 = data size, 83 = file identifier.
    return buffer.announce(
      Uint8Array.of(
        0x62,
        0x08,
        0x80,
        0x02,
        content.length >> 8,
        content.length & 0xff,
        0x83,
        0x02,
        ...c.data.subarray(-2),
      ),
    );
  };

  const readBinary = (c: CommandApdu): Uint8Array => {
    const content = selectedEf ? files.get(selectedEf) : undefined;
    if (!content) return reply(SW.NO_CURRENT_EF);
    const offset = ((c.p1 & 0x7f) << 8) | c.p2;
    if (offset > content.length) return reply(SW.WRONG_OFFSET);
    const available = content.length - offset;
    const ne = c.ne === 0 ? 256 : c.ne;
    if (ne > available && !isMaxNe(ne) && available <= 0xff) return reply(0x6c00 | available);
    return reply(SW.OK, content.subarray(offset, offset + Math.min(ne, available)));
  };

  const updateBinary = (c: CommandApdu): Uint8Array => {
    const content = selectedEf ? files.get(selectedEf) : undefined;
    if (!content) return reply(SW.NO_CURRENT_EF);
    const offset = ((c.p1 & 0x7f) << 8) | c.p2;
    if (offset + c.data.length > content.length) return reply(SW.NOT_ENOUGH_MEMORY);
    content.set(c.data, offset);
    return reply(SW.OK);
  };

  const externalAuthenticate = (c: CommandApdu): Uint8Array => {
    const key = keys.get(c.p2);
    if (!key) return reply(SW.DATA_NOT_FOUND);
    if (key.tries === 0) return reply(SW.AUTH_BLOCKED);
    if (!challenge) return reply(SW.CONDITIONS_NOT_SATISFIED);
    const expected = computeCrResponse(
      key.type === 'aes256' ? 'AES_CMAC' : 'RETAIL_MAC',
      key.value,
      challenge,
    );
    challenge = undefined; // a challenge is used once
    if (c.data.length === expected.length && timingSafeEqual(c.data, expected)) {
      key.tries = key.maxTries;
      authenticated.add(c.p2);
      return reply(SW.OK);
    }
    key.tries--;
    return reply(key.tries === 0 ? SW.AUTH_BLOCKED : 0x63c0 | key.tries);
  };

  const changeKey = (c: CommandApdu): Uint8Array => {
    const key = keys.get(c.p2);
    if (!key || c.p1 !== 0x10) return reply(SW.WRONG_P1P2);
    if (!authenticated.has(c.p2)) return reply(SW.SECURITY_NOT_SATISFIED);
    const lengths = key.type === 'aes256' ? [32] : [16, 24];
    if (!lengths.includes(c.data.length - 2)) return reply(SW.WRONG_LENGTH);
    key.value = c.data.slice(2);
    authenticated.delete(c.p2); // authenticate again with the new key
    return reply(SW.OK);
  };

  const dispatch = (c: CommandApdu): Uint8Array => {
    if (c.cla === 0x90) return c.ins === 0x24 ? changeKey(c) : reply(SW.INS_NOT_SUPPORTED);
    if (c.cla !== 0x00) return reply(SW.CLA_NOT_SUPPORTED);
    switch (c.ins) {
      case 0xa4:
        return select(c);
      case 0xca: {
        const tag = (c.p1 << 8) | c.p2;
        const data =
          tag === 0x0182
            ? options.version
            : tag === 0x0188
              ? options.packageInfo
              : tag === 0x0181
                ? options.serialNumber
                : undefined;
        if (!data) return reply(SW.DATA_NOT_FOUND);
        return reply(SW.OK, data.subarray(0, Math.min(data.length, c.ne === 0 ? 256 : c.ne)));
      }
      case 0xb0:
        return readBinary(c);
      case 0xd6:
        return updateBinary(c);
      case 0x84: {
        if (c.ne === 0 || c.ne > 64) return reply(SW.WRONG_LENGTH);
        challenge = new Uint8Array(randomBytes(c.ne));
        return reply(SW.OK, challenge);
      }
      case 0x82:
        return externalAuthenticate(c);
      case 0x20:
        return reply(c.data.length === 0 ? pins.status(c.p2) : pins.verify(c.p2, c.data));
      case 0x24:
        return reply(pins.change(c.p2, c.data));
      case 0x2c:
        return reply(pins.resetRetryCounter(c.p2, c.p1, c.data));
      default:
        if (c.ins === options.loopbackIns) {
          const out = new Uint8Array(c.ne);
          for (let i = 0; i < out.length; i++)
            out[i] = c.data.length > 0 ? (c.data[i % c.data.length] ?? 0) : i & 0xff;
          return reply(SW.OK, out);
        }
        return reply(SW.INS_NOT_SUPPORTED);
    }
  };

  return {
    atr: options.atr,
    reset() {
      selectedEf = undefined;
      challenge = undefined;
      authenticated.clear();
      buffer.clear();
      pins.reset();
    },
    transmit(bytes) {
      const command = readCommand(bytes);
      if (command instanceof Uint8Array) return command;
      if (command.cla === 0x00 && command.ins === 0xc0) return buffer.getResponse(command);
      buffer.clear();
      return dispatch(command);
    },
    readFile: (fid) => files.get(fid.toUpperCase())?.slice(),
    keyValue: (kid) => keys.get(kid)?.value.slice(),
    pinTriesLeft: (ref) => pins.triesLeft(ref),
  };
}
