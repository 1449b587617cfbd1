import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import { WIRE_VERSION, type WireVersion, wireVersionOf, withWireVersion } from './wire-version';

/**
 * Results on the wire within AWS IoT Core's 128 KB message limit: a signed result
 * message that does not fit is sent as numbered parts, each a JSON object
 *   { "v": 2, "part": { "key", "index", "total", "sha256" }, "data": "<base64 slice>" }
 * (no `v` in version 1; docs/messaging.md). `key` names the result's execution
 * (`<jobId>:<attempt>`, execution-id.ts), `sha256` the whole message, so the
 * cloud reassembles parts from any number of deliveries (duplicates, any order) and
 * refuses a mix of two different messages. A whole message never has a "part" member.
 */
export const MAX_MQTT_MESSAGE_BYTES = 128 * 1024;
/** Raw bytes per part: base64 makes ~87 KiB of it, well inside the limit with the header. */
export const RESULT_PART_BYTES = 64 * 1024;
/** At most 8 MiB per result (traces of very long scripts): more is refused, not split. */
export const MAX_RESULT_PARTS = 128;

export const ResultPartSchema = z.object({
  part: z.object({
    key: z.string().min(1).max(256),
    index: z.number().int().min(0),
    total: z.number().int().min(2).max(MAX_RESULT_PARTS),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  data: z.string().max(Math.ceil(RESULT_PART_BYTES / 3) * 4),
});
export type ResultPart = z.infer<typeof ResultPartSchema>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The message itself when it fits in one MQTT message, else its numbered parts. */
export function toWireMessages(key: string, message: string, version: WireVersion = WIRE_VERSION): string[] {
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length <= MAX_MQTT_MESSAGE_BYTES - 1024) return [message];
  const total = Math.ceil(bytes.length / RESULT_PART_BYTES);
  if (total > MAX_RESULT_PARTS)
    throw new CardfleetError(
      'RESULT_TOO_LARGE',
      `the result is ${bytes.length} bytes; at most ${MAX_RESULT_PARTS * RESULT_PART_BYTES} can be sent`,
    );
  const digest = sha256(bytes);
  return Array.from({ length: total }, (_, index) =>
    JSON.stringify(
      withWireVersion(
        {
          part: { key, index, total, sha256: digest },
          data: bytes.subarray(index * RESULT_PART_BYTES, (index + 1) * RESULT_PART_BYTES).toString('base64'),
        } satisfies ResultPart,
        version,
      ),
    ),
  );
}

/** Whether a received message is a part (else it is a whole result message). */
export function isResultPart(message: unknown): boolean {
  return typeof message === 'object' && message !== null && 'part' in message;
}

/** A received part of either known version; RESULT_UNSUPPORTED_VERSION or RESULT_INVALID. */
export function parseResultPart(message: unknown, agentId: string): ResultPart {
  wireVersionOf(message, 'RESULT_UNSUPPORTED_VERSION', 'result part');
  const parsed = ResultPartSchema.safeParse(message);
  if (!parsed.success) throw new CardfleetError('RESULT_INVALID', `a malformed result part from ${agentId}`);
  return parsed.data;
}

/**
 * The whole message from its parts (any order, duplicates allowed), or undefined while
 * some are missing. Parts that disagree on total or digest, or a joined message whose
 * digest differs, are a typed error.
 */
export function joinResultParts(parts: readonly ResultPart[]): string | undefined {
  const first = parts[0];
  if (!first) return undefined;
  const { total, sha256: digest, key } = first.part;
  const byIndex = new Map<number, string>();
  for (const { part, data } of parts) {
    if (part.key !== key || part.total !== total || part.sha256 !== digest || part.index >= total)
      throw new CardfleetError('RESULT_PARTS_MISMATCH', `the parts of result ${key} do not belong together`);
    byIndex.set(part.index, data);
  }
  if (byIndex.size < total) return undefined;
  const bytes = Buffer.concat(
    Array.from({ length: total }, (_, i) => Buffer.from(byIndex.get(i) ?? '', 'base64')),
  );
  if (sha256(bytes) !== digest)
    throw new CardfleetError(
      'RESULT_PARTS_MISMATCH',
      `the parts of result ${key} do not add up to its digest`,
    );
  return bytes.toString('utf8');
}
