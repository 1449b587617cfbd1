import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { JOB_ENVELOPE_TYPE } from './job-claims';
import type { JobResult } from './job-result';
import { jsonBytes, localJwsSigner } from './jws-signer';
import { RESULT_TYPE, resultMessageKey, signResultMessage, verifyResultMessage } from './result-message';

const result: JobResult = {
  jobId: 'job-1',
  attempt: 2,
  agentId: 'agent-1',
  status: 'SUCCEEDED',
  finishedAt: '2026-11-29T12:00:01.000Z',
  applications: [],
};

describe('signed result messages', async () => {
  const agent = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const signer = localJwsSigner('agent-1', agent.privateKey);
  const verify = (message: string, agentId = 'agent-1') =>
    verifyResultMessage(message, agent.publicKey, agentId);

  it('signs the result with the agent key and typ, and verifies and parses it once', async () => {
    const message = await signResultMessage(result, signer);
    const wire = JSON.parse(message) as { v: number; signature: string };
    expect(wire.v).toBe(3);
    expect(JSON.parse(Buffer.from(wire.signature.split('.')[0] ?? '', 'base64url').toString())).toEqual({
      alg: 'ES256',
      kid: 'agent-1',
      typ: RESULT_TYPE,
    });
    expect(await verify(message)).toEqual({ result, signature: wire.signature, version: 3 });
    expect(resultMessageKey(message)).toBe('job-1:2');
  });

  it('takes the previous version: { result, signature } over the bare result', async () => {
    const message = await signResultMessage(result, signer, 1);
    expect(Object.keys(JSON.parse(message))).toEqual(['result', 'signature']);
    await expect(verify(message)).resolves.toMatchObject({ result, version: 1 });
  });

  it('refuses a newer version, another typ, another key, another agent and a missing signature', async () => {
    const v3 = JSON.stringify({
      v: 4,
      result,
      signature: await signer.sign(jsonBytes({ v: 4, ...result }), RESULT_TYPE),
    });
    await expect(verify(v3)).rejects.toMatchObject({ code: 'RESULT_UNSUPPORTED_VERSION' });
    const asEnvelope = JSON.stringify({
      result,
      signature: await signer.sign(jsonBytes(result), JOB_ENVELOPE_TYPE),
    });
    await expect(verify(asEnvelope)).rejects.toMatchObject({ code: 'RESULT_BAD_TYPE' });
    const forged = await signResultMessage(result, localJwsSigner('agent-1', stranger.privateKey));
    await expect(verify(forged)).rejects.toMatchObject({ code: 'RESULT_SIGNATURE' });
    await expect(verify(await signResultMessage(result, signer), 'agent-2')).rejects.toMatchObject({
      code: 'RESULT_WRONG_AGENT',
    });
    await expect(verify(JSON.stringify({ result }))).rejects.toMatchObject({ code: 'RESULT_UNSIGNED' });
  });

  it('trusts only the signed bytes: a changed plain copy or a stripped signed version is refused or ignored', async () => {
    const wire = JSON.parse(await signResultMessage(result, signer)) as Record<string, unknown>;
    const changed = JSON.stringify({ ...wire, result: { ...result, status: 'FAILED' } });
    expect((await verify(changed)).result.status).toBe('SUCCEEDED');
    const mixed = JSON.stringify({ result, signature: wire.signature });
    await expect(verify(mixed)).rejects.toMatchObject({ code: 'RESULT_INVALID' });
    const invalid = await signResultMessage({ ...result, status: 'DONE' } as unknown as JobResult, signer);
    await expect(verify(invalid)).rejects.toMatchObject({ code: 'RESULT_INVALID' });
  });
});
