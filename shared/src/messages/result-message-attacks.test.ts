import { CompactSign, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { JobResult } from './job-result';
import { jsonBytes, localJwsSigner } from './jws-signer';
import { RESULT_TYPE, resultMessageKey, signResultMessage, verifyResultMessage } from './result-message';

/**
 * Attacks on the cloud's check of an agent's signed result (docs/messaging.md, "Result"),
 * each failing when the check that stops it is removed (docs/mutation-testing.md).
 */
const result: JobResult = {
  jobId: 'job-1',
  attempt: 2,
  agentId: 'agent-1',
  status: 'SUCCEEDED',
  finishedAt: '2026-11-29T12:00:01.000Z',
  applications: [],
};

describe('signed result attacks', async () => {
  const agent = await generateKeyPair('ES256');
  const signer = localJwsSigner('agent-1', agent.privateKey);
  const verify = (message: string) => verifyResultMessage(message, agent.publicKey, 'agent-1');

  it('refuses a result signed with an algorithm outside the allow-list', async () => {
    const es384 = await generateKeyPair('ES384');
    const signature = await new CompactSign(jsonBytes({ v: 2, ...result }))
      .setProtectedHeader({ alg: 'ES384', kid: 'agent-1', typ: RESULT_TYPE })
      .sign(es384.privateKey);
    await expect(
      verifyResultMessage(JSON.stringify({ v: 2, result, signature }), es384.publicKey, 'agent-1'),
    ).rejects.toMatchObject({ code: 'RESULT_SIGNATURE' });
  });

  it('refuses a signature that is not a string, and signed bytes that are not JSON', async () => {
    await expect(verify(JSON.stringify({ v: 2, result, signature: 7 }))).rejects.toMatchObject({
      code: 'RESULT_UNSIGNED',
    });
    const notJson = await signer.sign(new TextEncoder().encode('{"v":2,'), RESULT_TYPE);
    await expect(verify(JSON.stringify({ v: 2, result, signature: notJson }))).rejects.toMatchObject({
      code: 'RESULT_INVALID',
    });
    await expect(verify('not json')).rejects.toMatchObject({ code: 'RESULT_INVALID' });
  });

  it('refuses a signed result in an older version than the message around it claims', async () => {
    const signature = await signer.sign(jsonBytes(result), RESULT_TYPE);
    await expect(verify(JSON.stringify({ v: 2, result, signature }))).rejects.toThrow(
      /not in the message's version/,
    );
  });

  it('names the execution of a message for its acknowledgement, and refuses a message that names none', async () => {
    expect(resultMessageKey(await signResultMessage(result, signer))).toBe('job-1:2');
    for (const message of [
      JSON.stringify({ v: 2, result: { jobId: 'job-1', attempt: '2' } }),
      JSON.stringify({ v: 2, result: { jobId: 7, attempt: 2 } }),
      JSON.stringify({ v: 2 }),
    ])
      expect(() => resultMessageKey(message), message).toThrow(
        expect.objectContaining({ code: 'RESULT_INVALID' }),
      );
  });
});

describe('job secrets attacks', async () => {
  const { CompactEncrypt, generateKeyPair: pair, exportJWK } = await import('jose');
  const { decryptSecrets } = await import('./secret-box');
  const agent = await pair('ECDH-ES', { crv: 'P-256', extractable: true });
  const jwk = await exportJWK(agent.publicKey);
  const encrypt = (alg: string, enc: string) =>
    new CompactEncrypt(new TextEncoder().encode('{"PIN":"123456"}'))
      .setProtectedHeader({ alg, enc })
      .encrypt(jwk);

  it('refuses secrets wrapped or encrypted with another algorithm than ECDH-ES / A256GCM', async () => {
    expect(await decryptSecrets(await encrypt('ECDH-ES', 'A256GCM'), agent.privateKey)).toEqual({
      PIN: '123456',
    });
    for (const [alg, enc] of [
      ['ECDH-ES+A128KW', 'A256GCM'],
      ['ECDH-ES', 'A128GCM'],
    ] as const) {
      const refused = decryptSecrets(await encrypt(alg, enc), agent.privateKey);
      await expect(refused).rejects.toMatchObject({ code: 'SECRETS_UNREADABLE' });
      await expect(refused).rejects.toHaveProperty('cause');
    }
  });
});
