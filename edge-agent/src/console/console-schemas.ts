import { z } from 'zod';

/**
 * The operator console's API (loopback only), one schema source for the console server
 * and `cardfleet-agent prompt`. PINs travel only in an answer's body, from the
 * operator's browser or terminal to the agent on the same station.
 */
export const PinRequestSchema = z.object({
  line: z.number().int(),
  description: z.string(),
  rule: z.string().optional(),
  askOld: z.boolean(),
  askTransport: z.boolean(),
});

export const PendingPinsSchema = z.object({
  id: z.string(),
  jobId: z.string().optional(),
  reader: z.string().optional(),
  application: z.string(),
  requests: z.array(PinRequestSchema),
  askedAt: z.string(),
  expiresAt: z.string(),
});
export type PendingPins = z.infer<typeof PendingPinsSchema>;

export const PendingListSchema = z.object({ pending: z.array(PendingPinsSchema) });

export const PinEntrySchema = z.object({
  pin: z.string().max(64),
  confirmation: z.string().max(64),
  old: z.string().max(64).optional(),
  transport: z.string().max(64).optional(),
});

export const PinAnswerSchema = z.object({ entries: z.array(PinEntrySchema).max(16) });

export const ConsoleErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Where a running agent's console is, for `cardfleet-agent prompt` (0600 in the state directory). */
export const ConsoleAccessSchema = z.object({ url: z.string(), token: z.string() });
export type ConsoleAccess = z.infer<typeof ConsoleAccessSchema>;
