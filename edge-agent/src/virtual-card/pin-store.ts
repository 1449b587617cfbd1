import { timingSafeEqual } from 'node:crypto';
import { SW } from './card-command';

/**
 * Reference data (PINs and PUKs) with retry counters, ISO 7816-4 §11.5.6–11.5.10:
 * a wrong value answers 63CX with X tries left; at zero the reference is blocked and
 * every use answers 6983. A correct value restores the counter.
 */
export interface PinSpec {
  value: Uint8Array;
  maxTries: number;
  /** Reference of the PUK that resets this PIN. */
  puk?: number;
}

interface PinState {
  value: Uint8Array;
  maxTries: number;
  tries: number;
  puk: number | undefined;
  verified: boolean;
}

export class PinStore {
  private readonly pins = new Map<number, PinState>();

  constructor(specs: ReadonlyMap<number, PinSpec>) {
    for (const [ref, spec] of specs) {
      this.pins.set(ref, {
        value: spec.value,
        maxTries: spec.maxTries,
        tries: spec.maxTries,
        puk: spec.puk,
        verified: false,
      });
    }
  }

  has(ref: number): boolean {
    return this.pins.has(ref);
  }

  /** Session state is lost on reset; counters live in EEPROM and survive. */
  reset(): void {
    for (const pin of this.pins.values()) pin.verified = false;
  }

  currentLength(ref: number): number {
    return this.pins.get(ref)?.value.length ?? 0;
  }

  triesLeft(ref: number): number | undefined {
    return this.pins.get(ref)?.tries;
  }

  /** VERIFY without data: 9000 when already verified, else 63CX (or 6983 when blocked). */
  status(ref: number): number {
    const pin = this.pins.get(ref);
    if (!pin) return SW.DATA_NOT_FOUND;
    if (pin.tries === 0) return SW.AUTH_BLOCKED;
    return pin.verified ? SW.OK : 0x63c0 | pin.tries;
  }

  verify(ref: number, candidate: Uint8Array): number {
    const pin = this.pins.get(ref);
    if (!pin) return SW.DATA_NOT_FOUND;
    if (pin.tries === 0) return SW.AUTH_BLOCKED;
    if (equal(pin.value, candidate)) {
      pin.tries = pin.maxTries;
      pin.verified = true;
      return SW.OK;
    }
    pin.tries--;
    pin.verified = false;
    return pin.tries === 0 ? SW.AUTH_BLOCKED : 0x63c0 | pin.tries;
  }

  /** CHANGE REFERENCE DATA: old ‖ new, split at the current value's length. */
  change(ref: number, data: Uint8Array): number {
    const length = this.currentLength(ref);
    if (data.length <= length) return SW.WRONG_LENGTH;
    const sw = this.verify(ref, data.subarray(0, length));
    if (sw !== SW.OK) return sw;
    (this.pins.get(ref) as PinState).value = data.slice(length);
    return SW.OK;
  }

  /** RESET RETRY COUNTER: P1 00 = PUK ‖ new PIN, P1 01 = PUK only. */
  resetRetryCounter(ref: number, p1: number, data: Uint8Array): number {
    const pin = this.pins.get(ref);
    if (!pin || pin.puk === undefined) return SW.DATA_NOT_FOUND;
    const pukLength = this.currentLength(pin.puk);
    if (p1 === 0x01 ? data.length !== pukLength : data.length <= pukLength) return SW.WRONG_LENGTH;
    const sw = this.verify(pin.puk, data.subarray(0, pukLength));
    if (sw !== SW.OK) return sw;
    if (p1 === 0x00) pin.value = data.slice(pukLength);
    pin.tries = pin.maxTries;
    return SW.OK;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
