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
  /** The rule in words ("6 digits"; shared pin-rule-words.ts), when it can be put in words. */
  ruleWords: z.string().optional(),
  askOld: z.boolean(),
  askTransport: z.boolean(),
});

export const PendingPinsSchema = z.object({
  id: z.string(),
  jobId: z.string().optional(),
  reader: z.string().optional(),
  /** The job's encoding, when the request comes from a job. */
  encoding: z.object({ id: z.string(), version: z.number().int() }).optional(),
  /** The card in the reader as the runner read it: its ATR (hex) and the names it matches. */
  card: z.object({ atr: z.string(), names: z.array(z.string()) }).optional(),
  application: z.string(),
  requests: z.array(PinRequestSchema),
  askedAt: z.string(),
  expiresAt: z.string(),
});
export type PendingPins = z.infer<typeof PendingPinsSchema>;

/**
 * How a request the page showed ended (pin-outcome.ts): the PIN was handed to the job,
 * then the job ended; or nobody answered; or the operator cancelled. Never a PIN.
 */
export const PIN_OUTCOMES = [
  'sent',
  'job-done',
  'card-refused',
  'job-failed',
  'expired',
  'cancelled',
] as const;
export type PinOutcome = (typeof PIN_OUTCOMES)[number];

export const SettledPinsSchema = z.object({
  id: z.string(),
  outcome: z.enum(PIN_OUTCOMES),
  /** What the operator reads, e.g. "The card in Reader 0 refused the PIN (63C2) …". */
  message: z.string(),
});
export type SettledPins = z.infer<typeof SettledPinsSchema>;

export const PendingListSchema = z.object({
  pending: z.array(PendingPinsSchema),
  /** The last requests that ended, newest first (older agents: absent). */
  recent: z.array(SettledPinsSchema).optional(),
});

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
