import { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import { AGENT_RESULT_STATUSES } from '../jobs/job-lifecycle';

/**
 * What the agent reports for one execution (job id + attempt). Every value is
 * already redacted: no PIN, key or secret field value may appear here.
 */
export const ErrorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
});

export const ApduTraceSchema = z.object({
  /** Script line that sent it. */
  line: z.number().int().positive(),
  /** C-APDU hex with secret bytes shown as `**`. */
  command: z.string().regex(/^(?:[0-9A-F]{2}|\*\*)*$/),
  /** Final SW after 61XX/6CXX handling. */
  sw: z.string().regex(/^[0-9A-F]{4}$/),
  meaning: z.string(),
  responseLength: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});

export const LicenseStatusSchema = z.object({
  licensePresent: z.boolean(),
  serialValid: z.boolean(),
  dateValid: z.boolean(),
  /** YYYYMMDD; 00000000 = no limit. */
  startDate: z.string().regex(/^\d{8}$/),
  endDate: z.string().regex(/^\d{8}$/),
  /** serialValid && dateValid (licensePresent may be false under a global agreement). */
  acceptable: z.boolean(),
});

export const ApplicationResultSchema = z.object({
  name: z.string(),
  kind: z.enum(['apdu', 'pkcs11', 'license']),
  status: z.enum(['SUCCEEDED', 'FAILED', 'SKIPPED']),
  /** The ApduResponseCodesField value (docs/encoding-format.md). */
  responseCodes: z.string().optional(),
  /** Output fields written by this application (secret ones redacted). */
  outputs: z.record(z.string(), z.string()),
  apdus: z.array(ApduTraceSchema),
  /** PKCS#11 and license steps, in the order they ran (no secret values). */
  steps: z
    .array(
      z.object({
        step: z.string(),
        status: z.enum(['DONE', 'SKIPPED', 'FAILED']),
        detail: z.string().optional(),
      }),
    )
    .optional(),
  failure: ErrorInfoSchema.extend({
    line: z.number().int().positive().optional(),
    sw: z.string().optional(),
  }).optional(),
  license: LicenseStatusSchema.extend({
    batchCardCredit: z.number().int().nonnegative().optional(),
  }).optional(),
});

export const CARD_SERIAL_SOURCES = ['pkcs11-token', 'encoding-field', 'none'] as const;
export type CardSerialSource = (typeof CARD_SERIAL_SOURCES)[number];

/**
 * The serial a result files its card under: `serial` when the agent named one, else a
 * PKCS#11 token serial from an agent before `serial` existed (trimmed: C_GetTokenInfo
 * pads it with spaces, PKCS#11 v2.40 §3.2).
 */
export function cardSerialOf(card: CardIdentity | undefined): string | undefined {
  const serial = (card?.serial ?? card?.tokenSerial)?.trim();
  return serial ? serial : undefined;
}

export const CardIdentitySchema = z.object({
  reader: z.string(),
  atr: z.string().regex(/^[0-9A-F]*$/),
  cardNames: z.array(z.string()),
  tokenModel: z.string().optional(),
  tokenSerial: z.string().optional(),
  /**
   * The card's serial as the cloud files it (the results-by-card index), and where it
   * came from: the PKCS#11 token (C_GetTokenInfo serialNumber), an output field the
   * encoding names with CardSerialField (docs/encoding-format.md), or none — the card
   * has no serial the run could read and only the ATR identifies it. Optional on the
   * wire: results of agents before these fields still parse (docs/messaging.md).
   */
  serial: z.string().min(1).max(128).optional(),
  serialSource: z.enum(CARD_SERIAL_SOURCES).optional(),
});

export type CardIdentity = z.infer<typeof CardIdentitySchema>;

export const JobResultSchema = z.object({
  jobId: z.string(),
  attempt: z.number().int().positive(),
  agentId: z.string(),
  status: z.enum(AGENT_RESULT_STATUSES),
  startedAt: z.string().datetime().optional(),
  finishedAt: z.string().datetime(),
  card: CardIdentitySchema.optional(),
  applications: z.array(ApplicationResultSchema),
  error: ErrorInfoSchema.optional(),
  /** For REJECTED: the envelope is named by its hash, never by unverified content. */
  rejection: z.object({ reason: z.string(), envelopeSha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});

export type ApduTrace = z.infer<typeof ApduTraceSchema>;
export type ApplicationResult = z.infer<typeof ApplicationResultSchema>;
export type JobResult = z.infer<typeof JobResultSchema>;
export type LicenseStatus = z.infer<typeof LicenseStatusSchema>;

/** A result from outside the signed path (an API body, a stored copy): RESULT_INVALID unless it fits. */
export function parseJobResult(input: unknown): JobResult {
  const parsed = JobResultSchema.safeParse(input);
  if (!parsed.success)
    throw new CardfleetError('RESULT_INVALID', 'the result does not match the result schema', {
      details: { issues: parsed.error.issues },
    });
  return parsed.data;
}
