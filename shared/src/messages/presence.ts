import { z } from 'zod';

/**
 * The agent's presence: a retained message on its presence topic, replaced on every
 * change and by the broker's last will ("offline") when the agent vanishes. It lists
 * the office's readers so operators see what each office has.
 */
export const PresenceSchema = z.object({
  status: z.enum(['online', 'offline']),
  at: z.string(),
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
