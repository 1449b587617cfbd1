import { readFileSync } from 'node:fs';
import { CardfleetError, parseHex } from '@cardfleet/shared';
import { z } from 'zod';
import { createBatchCard } from './batch-card';
import { type CardKey, createCardosCard } from './cardos-card';
import { createHelloWorldCard } from './hello-world-card';
import type { PinSpec } from './pin-store';
import type { VirtualCard } from './virtual-card';

/**
 * JSON profiles of the virtual cards (examples/cards/*.json). Hex strings are
 * case-insensitive; PIN values are UTF-8 strings (`"1234"`) unless given as
 * `{ "hex": "…" }` for binary reference data.
 */
const hex = z.string().regex(/^(?:[0-9A-Fa-f]{2})*$/, 'expected hex');
const bytesOrText = z.union([z.string(), z.object({ hex })]);

const CardosProfileSchema = z.object({
  type: z.literal('cardos'),
  atr: hex,
  version: hex,
  packageInfo: hex,
  /** GET DATA 0181: the chip serial, 8 bytes on CardOS V5 (cardos-card.ts). */
  serialNumber: hex.optional(),
  applications: z.array(hex).default([]),
  files: z
    .record(
      z.string().regex(/^[0-9A-Fa-f]{4}$/),
      z.object({ size: z.number().int().positive().max(32767), content: hex.optional() }),
    )
    .default({}),
  keys: z
    .record(
      z.string().regex(/^\d+$/),
      z.object({
        type: z.enum(['3des', 'aes256']),
        value: hex,
        maxTries: z.number().int().positive().default(3),
      }),
    )
    .default({}),
  pins: z
    .record(
      z.string().regex(/^\d+$/),
      z.object({
        value: bytesOrText,
        maxTries: z.number().int().positive(),
        puk: z.number().int().optional(),
      }),
    )
    .default({}),
  loopbackIns: hex.optional(),
});

const BatchProfileSchema = z.object({
  type: z.literal('idopte-batch'),
  atr: hex,
  credit: z.number().int().nonnegative(),
  validityDays: z.number().int().positive().default(365),
  licenseKey: hex,
});

const HelloWorldProfileSchema = z.object({ type: z.literal('hello-world'), atr: hex });

export const CardProfileSchema = z.discriminatedUnion('type', [
  CardosProfileSchema,
  BatchProfileSchema,
  HelloWorldProfileSchema,
]);
export type CardProfile = z.input<typeof CardProfileSchema>;

export function createVirtualCard(input: unknown): VirtualCard {
  const parsed = CardProfileSchema.safeParse(input);
  if (!parsed.success) {
    throw new CardfleetError(
      'CARD_PROFILE_INVALID',
      `invalid card profile: ${z.prettifyError(parsed.error)}`,
    );
  }
  const profile = parsed.data;
  const atr = parseHex(profile.atr, 'atr');
  switch (profile.type) {
    case 'hello-world':
      return createHelloWorldCard(atr);
    case 'idopte-batch':
      return createBatchCard({
        atr,
        credit: profile.credit,
        validityDays: profile.validityDays,
        licenseKey: parseHex(profile.licenseKey),
      });
    case 'cardos': {
      const files = new Map<string, Uint8Array>();
      for (const [fid, file] of Object.entries(profile.files)) {
        const content = new Uint8Array(file.size);
        if (file.content) content.set(parseHex(file.content).subarray(0, file.size));
        files.set(fid.toUpperCase(), content);
      }
      const keys = new Map<number, CardKey>(
        Object.entries(profile.keys).map(([kid, key]) => [
          Number(kid),
          { type: key.type, value: parseHex(key.value), maxTries: key.maxTries },
        ]),
      );
      const pins = new Map<number, PinSpec>(
        Object.entries(profile.pins).map(([ref, pin]) => [
          Number(ref),
          {
            value:
              typeof pin.value === 'string' ? new TextEncoder().encode(pin.value) : parseHex(pin.value.hex),
            maxTries: pin.maxTries,
            ...(pin.puk === undefined ? {} : { puk: pin.puk }),
          },
        ]),
      );
      return createCardosCard({
        atr,
        version: parseHex(profile.version),
        packageInfo: parseHex(profile.packageInfo),
        ...(profile.serialNumber === undefined ? {} : { serialNumber: parseHex(profile.serialNumber) }),
        applications: profile.applications.map((a) => a.toUpperCase()),
        files,
        keys,
        pins,
        ...(profile.loopbackIns === undefined ? {} : { loopbackIns: parseHex(profile.loopbackIns)[0] ?? 0 }),
      });
    }
  }
}

export function loadCardProfile(path: string): VirtualCard {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CardfleetError('CARD_PROFILE_UNREADABLE', `${path}: not a readable JSON file`, { cause });
  }
  return createVirtualCard(json);
}
