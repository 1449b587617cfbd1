import type { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import type { ErrorCode } from '../errors/error-catalogue';

/**
 * The wire format's version (docs/messaging.md, "Versions"). Every message carries it
 * as a top-level `v` (in a JWS, a claim of the signed payload). Version 1 is the format
 * from before versioning and has no `v`; version 2 adds `v`; version 3 (today's) lets a
 * job envelope carry the bundle's literal secrets sealed (`job.literals`) and has the
 * agent check the bundle's sha256. Offices upgrade their agents at different times, so
 * the cloud reads every version and writes to each agent the version that agent
 * announced (its presence's `v`; unknown → version 1).
 * A side that receives a version newer than it knows refuses the message with a
 * `<MESSAGE>_UNSUPPORTED_VERSION` code instead of guessing at its shape.
 */
export const WIRE_VERSION = 3;
/** The format from before versioning (no `v`). */
export const PREVIOUS_WIRE_VERSION = 1;
export type WireVersion = typeof PREVIOUS_WIRE_VERSION | 2 | typeof WIRE_VERSION;
export const SUPPORTED_WIRE_VERSIONS: readonly WireVersion[] = [PREVIOUS_WIRE_VERSION, 2, WIRE_VERSION];
/** The first version whose envelopes may carry sealed literals (`job.literals`). */
export const SEALED_LITERALS_WIRE_VERSION: WireVersion = 3;

/**
 * The version a message was written in: absent `v` is version 1. A `v` this side does
 * not know (newer, or not a version at all) throws `code`.
 */
export function wireVersionOf(message: unknown, code: ErrorCode, what: string): WireVersion {
  const v = typeof message === 'object' && message !== null ? (message as { v?: unknown }).v : undefined;
  if (v === undefined) return PREVIOUS_WIRE_VERSION;
  if ((SUPPORTED_WIRE_VERSIONS as readonly unknown[]).includes(v)) return v as WireVersion;
  throw new CardfleetError(
    code,
    `the ${what} is in wire format v${String(v)}; this side reads v${SUPPORTED_WIRE_VERSIONS.join(' and v')}`,
    { details: { version: v, supported: [...SUPPORTED_WIRE_VERSIONS] } },
  );
}

/** The message as written in `version`: v1 has no `v` member, later versions lead with it. */
export function withWireVersion<T extends object>(body: T, version: WireVersion): T & { v?: WireVersion } {
  const { v: _ignored, ...rest } = body as T & { v?: unknown };
  return version === PREVIOUS_WIRE_VERSION ? (rest as T) : { v: version, ...(rest as T) };
}

/**
 * The version to write to a peer that announced `announced` (undefined when it never
 * said): the newest both sides know, and version 1 when unknown — an agent that never
 * announced a version is one from before versioning.
 */
export function servedWireVersion(announced: number | undefined): WireVersion {
  if (announced === undefined) return PREVIOUS_WIRE_VERSION;
  if (announced >= WIRE_VERSION) return WIRE_VERSION;
  const known = SUPPORTED_WIRE_VERSIONS.find((v) => v === announced);
  return known ?? PREVIOUS_WIRE_VERSION;
}

/** The JSON of an unsigned message's text, or `code`. */
export function parseWireJson(payload: string, code: ErrorCode, what: string): unknown {
  try {
    return JSON.parse(payload);
  } catch (cause) {
    throw new CardfleetError(code, `the ${what} is not JSON`, { cause });
  }
}

/**
 * An unsigned versioned message (presence, progress): its JSON, its `v` one this side
 * reads, then its schema; `codes.invalid` for bad JSON or shape, `codes.unsupported`
 * for an unknown version (docs/messaging.md, "Versions").
 */
export function parseUnsignedMessage<T>(
  payload: string,
  schema: z.ZodType<T>,
  codes: { invalid: ErrorCode; unsupported: ErrorCode },
  what: string,
): T {
  const json = parseWireJson(payload, codes.invalid, what);
  wireVersionOf(json, codes.unsupported, what);
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new CardfleetError(codes.invalid, `the ${what} does not match its schema`, {
      details: { issues: parsed.error.issues },
    });
  return parsed.data;
}

/** Writing (in a given wire format) and reading of one kind of unsigned message. */
export function unsignedMessageKind<T extends object>(
  schema: z.ZodType<T>,
  codes: { invalid: ErrorCode; unsupported: ErrorCode },
  what: string,
) {
  return {
    build: (body: T, version: WireVersion = WIRE_VERSION): string =>
      JSON.stringify(withWireVersion(body, version)),
    parse: (payload: string): T => parseUnsignedMessage(payload, schema, codes, what),
  };
}
