import { CompactSign } from 'jose';
import { z } from 'zod';
import { ALLOWED_JOB_ALGORITHMS } from './job-claims';
import { type SigningKey, type VerifyEnvelopeOptions, verifySignedClaims } from './job-envelope';

/**
 * A signed cancel message (compact JWS, typ `cardfleet-cancel+jws`) on the agent's jobs
 * topic: a person cancelled a job the agent may already hold. It is verified like an
 * envelope (pinned kid, audience, validity window) and names one execution
 * (`jobId:attempt`): a retried attempt is not touched by an old cancel. The agent
 * honours it only while the job has not touched the card; a job already running or
 * finished keeps its real outcome (the agent never stops a card operation half-way).
 */
export const JOB_CANCEL_TYPE = 'cardfleet-cancel+jws';

export const CancelClaimsSchema = z.object({
  iss: z.string().min(1),
  aud: z.string().min(1),
  iat: z.number().int(),
  nbf: z.number().int(),
  exp: z.number().int(),
  cancel: z.object({ jobId: z.string().min(1).max(128), attempt: z.number().int().positive() }),
  by: z.string().max(256),
});
export type CancelClaims = z.infer<typeof CancelClaimsSchema>;

export async function signCancelMessage(claims: CancelClaims, key: SigningKey): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(CancelClaimsSchema.parse(claims))))
    .setProtectedHeader({ alg: ALLOWED_JOB_ALGORITHMS[0], kid: key.kid, typ: JOB_CANCEL_TYPE })
    .sign(key.privateKey);
}

export function verifyCancelMessage(
  raw: string | Uint8Array,
  options: VerifyEnvelopeOptions,
): Promise<CancelClaims> {
  return verifySignedClaims(raw, options, JOB_CANCEL_TYPE, CancelClaimsSchema);
}

/** The `typ` of a compact JWS, read without trusting it (to route jobs vs cancels). */
export function signedMessageType(raw: string | Uint8Array): string | undefined {
  const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  try {
    const header = JSON.parse(Buffer.from(text.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      typ?: unknown;
    };
    return typeof header.typ === 'string' ? header.typ : undefined;
  } catch {
    return undefined;
  }
}
