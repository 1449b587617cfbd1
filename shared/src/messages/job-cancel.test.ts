import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { type CancelClaims, JOB_CANCEL_TYPE, signCancelMessage, verifyCancelMessage } from './job-cancel';
import { JOB_ENVELOPE_TYPE } from './job-claims';
import { jsonBytes, localJwsSigner } from './jws-signer';
import { signedMessageType } from './signed-claims';

describe('signed cancel messages', async () => {
  const cloud = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const claims: CancelClaims = {
    iss: 'cardfleet-cloud',
    aud: 'agent-1',
    iat: 1000,
    nbf: 995,
    exp: 1300,
    cancel: { jobId: 'job-1', attempt: 2 },
    by: 'otto',
  };
  const keys = new Map([['k1', cloud.publicKey]]);

  it('verifies a cancel from a pinned key, addressed to this agent, in its window', async () => {
    const raw = await signCancelMessage(claims, localJwsSigner('k1', cloud.privateKey));
    expect(signedMessageType(raw)).toBe(JOB_CANCEL_TYPE);
    await expect(verifyCancelMessage(raw, { keys, audience: 'agent-1', now: 1100 })).resolves.toMatchObject({
      cancel: { jobId: 'job-1', attempt: 2 },
    });
  });

  it('refuses a cancel for another agent, an expired one, and one signed by a key that is not pinned', async () => {
    const raw = await signCancelMessage(claims, localJwsSigner('k1', cloud.privateKey));
    await expect(verifyCancelMessage(raw, { keys, audience: 'agent-2', now: 1100 })).rejects.toMatchObject({
      code: 'ENVELOPE_WRONG_AUDIENCE',
    });
    await expect(verifyCancelMessage(raw, { keys, audience: 'agent-1', now: 2000 })).rejects.toMatchObject({
      code: 'ENVELOPE_EXPIRED',
    });
    const forged = await signCancelMessage(claims, localJwsSigner('k1', stranger.privateKey));
    await expect(verifyCancelMessage(forged, { keys, audience: 'agent-1', now: 1100 })).rejects.toMatchObject(
      {
        code: 'ENVELOPE_BAD_SIGNATURE',
      },
    );
    expect(signedMessageType('garbage')).toBeUndefined();
  });

  it('carries the wire version, takes the previous one and refuses a newer one', async () => {
    const signer = localJwsSigner('k1', cloud.privateKey);
    const verify = (raw: string) => verifyCancelMessage(raw, { keys, audience: 'agent-1', now: 1100 });
    const current = await signCancelMessage(claims, signer);
    expect(JSON.parse(Buffer.from(current.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({
      v: 3,
    });
    await expect(verify(await signCancelMessage(claims, signer, 1))).resolves.toEqual(claims);
    const v4 = await signer.sign(jsonBytes({ ...claims, v: 4 }), JOB_CANCEL_TYPE);
    await expect(verify(v4)).rejects.toMatchObject({ code: 'ENVELOPE_UNSUPPORTED_VERSION' });
  });

  it('refuses a job envelope presented as a cancel', async () => {
    const signer = localJwsSigner('k1', cloud.privateKey);
    const job = await signer.sign(jsonBytes(claims), JOB_ENVELOPE_TYPE);
    await expect(verifyCancelMessage(job, { keys, audience: 'agent-1', now: 1100 })).rejects.toMatchObject({
      code: 'ENVELOPE_BAD_TYPE',
    });
  });
});
