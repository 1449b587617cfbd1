import { z } from 'zod';
import { unsignedMessageKind } from './wire-version';

/**
 * The agent's presence: a retained message on its presence topic, replaced on every
 * change and by the broker's last will ("offline") when the agent vanishes. It lists
 * the office's readers so operators see what each office has. Its `v` is also the
 * agent's announcement of the wire version it speaks: the cloud keeps it with the
 * presence and writes to that agent in it (docs/messaging.md, "Versions"); absent = v1.
 * `agentVersion` (the edge agent's package version) and `startedAt` (when its daemon
 * started) are sent on every announcement, so operators see what runs where and that
 * it restarted; optional members — a presence without them (an older agent, the last
 * will) still parses and needs no new wire version.
 */
export const PresenceSchema = z.object({
  v: z.number().int().positive().optional(),
  status: z.enum(['online', 'offline']),
  at: z.string(),
  agentVersion: z.string().max(64).optional(),
  startedAt: z.string().max(64).optional(),
  /**
   * The agent has an in-process dry-run card and honours `job.dryRun` (docs/security.md,
   * "Dry runs"): the cloud sends dry runs only to an agent that says so, since an older
   * agent would drop the flag and run the job on its reader. Also in the last will: a
   * capability of the agent, not of its connection.
   */
  dryRunCard: z.literal(true).optional(),
  readers: z.array(
    z.object({
      name: z.string(),
      cardPresent: z.boolean(),
      atr: z.string().nullable(),
      cardNames: z.array(z.string()),
    }),
  ),
});

export type Presence = z.infer<typeof PresenceSchema>;

/**
 * buildPresenceMessage: the message text for the presence topic (and the last will), in
 * wire format `version`.
 * parsePresenceMessage: a presence of either known version, its `v` kept as sent
 * (absent for v1).
 */
export const { build: buildPresenceMessage, parse: parsePresenceMessage } = unsignedMessageKind(
  PresenceSchema,
  { invalid: 'PRESENCE_INVALID', unsupported: 'PRESENCE_UNSUPPORTED_VERSION' },
  'presence',
);
