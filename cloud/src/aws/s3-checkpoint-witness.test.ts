import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { s3CheckpointWitness } from './s3-checkpoint-witness';

/** A bucket that keeps objects once, as Object Lock with If-None-Match does. */
function lockedBucket() {
  const objects = new Map<string, string>();
  const sent: unknown[] = [];
  const send = async (command: unknown): Promise<unknown> => {
    sent.push(command);
    if (command instanceof PutObjectCommand) {
      const key = String(command.input.Key);
      if (objects.has(key))
        throw new S3ServiceException({
          name: 'PreconditionFailed',
          $fault: 'client',
          $metadata: { httpStatusCode: 412 },
        });
      objects.set(key, String(command.input.Body));
      return {};
    }
    if (command instanceof GetObjectCommand) {
      const body = objects.get(String(command.input.Key));
      if (body === undefined) throw new NoSuchKey({ message: 'no such key', $metadata: {} });
      return { Body: { transformToString: async () => body } };
    }
    throw new Error('unexpected command');
  };
  return { objects, sent, s3: { send } as never };
}

describe('the S3 checkpoint witness', () => {
  it('writes each checkpoint once, conditionally and with a checksum, and reads it back', async () => {
    const bucket = lockedBucket();
    const witness = s3CheckpointWitness(bucket.s3, 'witness-bucket');
    await witness.publish(7, 'a.b.c');
    const put = bucket.sent[0] as PutObjectCommand;
    expect(put.input).toMatchObject({
      Bucket: 'witness-bucket',
      Key: 'checkpoints/000000000007.jws',
      IfNoneMatch: '*',
      ChecksumAlgorithm: 'SHA256',
    });
    expect(await witness.get(7)).toBe('a.b.c');
    expect(await witness.get(8)).toBeUndefined();
    await witness.publish(7, 'a.b.c'); // the same checkpoint again: no error
    await expect(witness.publish(7, 'x.y.z')).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
    expect(bucket.objects.get('checkpoints/000000000007.jws')).toBe('a.b.c');
  });
});
