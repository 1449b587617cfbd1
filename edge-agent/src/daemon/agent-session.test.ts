import { generateKeyPairSync } from 'node:crypto';
import {
  buildBatchClaims,
  localJwsSigner,
  signBatchMessage,
  signCancelMessage,
  topics,
} from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { messageKind } from './agent-session';

const cloudKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

async function cancelMessage(): Promise<Buffer> {
  const signed = await signCancelMessage(
    {
      iss: 'cardfleet-cloud',
      aud: 'agent-1',
      iat: 1,
      nbf: 1,
      exp: 2,
      cancel: { jobId: 'job-1', attempt: 1 },
      by: 'operator',
    },
    localJwsSigner('cloud-1', cloudKey.privateKey),
  );
  return Buffer.from(signed);
}

describe('the agent session routes what arrives', () => {
  it('tells a cancel from a job envelope on the jobs topic by its signed type', async () => {
    expect(messageKind('agent-1', topics.jobs('agent-1'), await cancelMessage())).toBe('cancel');
    expect(messageKind('agent-1', topics.jobs('agent-1'), Buffer.from('eyJhbGciOiJFUzI1NiJ9.e30.sig'))).toBe(
      'job',
    );
  });

  it('tells a batch message by its signed type, so it never reaches the job queue', async () => {
    const batch = await signBatchMessage(
      buildBatchClaims('agent-1', {
        issuer: 'cardfleet-cloud',
        now: 1,
        batch: {
          id: 'b-1',
          office: 'berlin',
          reader: 'R0',
          encoding: { id: 'e', version: 1 },
          stopAfterConsecutiveFailures: 3,
          status: 'OPEN',
        },
      }),
      localJwsSigner('cloud-1', cloudKey.privateKey),
    );
    expect(messageKind('agent-1', topics.jobs('agent-1'), Buffer.from(batch))).toBe('batch');
  });

  it('takes acknowledgements from the acks topic and nothing from other agents', async () => {
    expect(messageKind('agent-1', topics.acks('agent-1'), Buffer.from('{}'))).toBe('ack');
    expect(messageKind('agent-1', topics.jobs('agent-2'), await cancelMessage())).toBeUndefined();
    expect(messageKind('agent-1', topics.acks('agent-2'), Buffer.from('{}'))).toBeUndefined();
  });
});
