import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  BATCH_MESSAGE_TYPE,
  type BatchClaims,
  buildBatchClaims,
  signBatchMessage,
  verifyBatchMessage,
} from './batch-message';
import { buildCancelClaims, JOB_CANCEL_TYPE, signCancelMessage, verifyCancelMessage } from './job-cancel';
import { JOB_ENVELOPE_TYPE } from './job-claims';
import { verifyJobEnvelope } from './job-envelope';
import { jsonBytes, localJwsSigner } from './jws-signer';
import { signedMessageType } from './signed-claims';

describe('signed batch messages', async () => {
  const cloud = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const keys = new Map([['k1', cloud.publicKey]]);
  const signer = localJwsSigner('k1', cloud.privateKey);
  const claims: BatchClaims = buildBatchClaims('agent-1', {
    issuer: 'cardfleet-cloud',
    now: 1000,
    batch: {
      id: 'b-1',
      office: 'berlin',
      reader: 'Virtual PCD 00 00',
      encoding: { id: 'write-ef-gdo', version: 1 },
      count: 5,
      stopAfterConsecutiveFailures: 3,
      status: 'OPEN',
    },
  });
  const verify = (raw: string, audience = 'agent-1', now = 1100) =>
    verifyBatchMessage(raw, { keys, audience, issuer: 'cardfleet-cloud', now });

  it('verifies a batch from a pinned key, addressed to this agent, open for hours', async () => {
    const raw = await signBatchMessage(claims, signer);
    expect(signedMessageType(raw)).toBe(BATCH_MESSAGE_TYPE);
    await expect(verify(raw, 'agent-1', 1000 + 6 * 3600)).resolves.toMatchObject({ batch: { id: 'b-1' } });
  });

  it('stops a batch addressed to another agent, an expired one, a foreign key and another issuer', async () => {
    const raw = await signBatchMessage(claims, signer);
    await expect(verify(raw, 'agent-2')).rejects.toMatchObject({ code: 'ENVELOPE_WRONG_AUDIENCE' });
    await expect(verify(raw, 'agent-1', 1000 + 25 * 3600)).rejects.toMatchObject({
      code: 'ENVELOPE_EXPIRED',
    });
    const forged = await signBatchMessage(claims, localJwsSigner('k1', stranger.privateKey));
    await expect(verify(forged)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_SIGNATURE' });
    const unpinned = await signBatchMessage(claims, localJwsSigner('k9', cloud.privateKey));
    await expect(verify(unpinned)).rejects.toMatchObject({ code: 'ENVELOPE_UNKNOWN_KID' });
    const other = await signBatchMessage({ ...claims, iss: 'someone-else' }, signer);
    await expect(verify(other)).rejects.toMatchObject({ code: 'ENVELOPE_WRONG_ISSUER' });
  });

  it('stops a job envelope or a cancel presented as a batch, and a batch presented as either', async () => {
    const asJob = await signer.sign(jsonBytes(claims), JOB_ENVELOPE_TYPE);
    await expect(verify(asJob)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_TYPE' });
    const cancel = await signCancelMessage(
      buildCancelClaims('agent-1', {
        issuer: 'cardfleet-cloud',
        now: 1000,
        lifetimeSeconds: 300,
        cancel: { jobId: 'j', attempt: 1 },
        by: 'x',
      }),
      signer,
    );
    expect(signedMessageType(cancel)).toBe(JOB_CANCEL_TYPE);
    await expect(verify(cancel)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_TYPE' });
    const batch = await signBatchMessage(claims, signer);
    const options = { keys, audience: 'agent-1', now: 1100 };
    await expect(verifyJobEnvelope(batch, options)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_TYPE' });
    await expect(verifyCancelMessage(batch, options)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_TYPE' });
  });

  it('stops a batch whose claims do not match the schema however well signed', async () => {
    const raw = await signer.sign(
      jsonBytes({ ...claims, batch: { ...claims.batch, stopAfterConsecutiveFailures: 0 } }),
      BATCH_MESSAGE_TYPE,
    );
    await expect(verify(raw)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_CLAIMS' });
  });

  it('lets a closed batch message live minutes, not hours', () => {
    const closed = buildBatchClaims('agent-1', {
      issuer: 'cardfleet-cloud',
      now: 1000,
      batch: { ...claims.batch, status: 'CLOSED', closed: { state: 'STOPPED', reason: 'stopped by otto' } },
    });
    expect(closed.exp - closed.iat).toBe(300);
    expect(claims.exp - claims.iat).toBe(24 * 3600);
  });
});
