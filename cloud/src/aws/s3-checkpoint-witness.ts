import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { CardfleetError } from '@cardfleet/shared';
import { type CheckpointWitness, witnessObjectKey } from '../audit/checkpoint-witness';

/**
 * The checkpoint witness in AWS (docs/security.md, "Someone with write access to the
 * table"): an S3 bucket with Object Lock in compliance mode (sst.config.ts), so a
 * published checkpoint can be neither overwritten nor deleted for the retention period —
 * not by a table writer, not by the account's admins. A put is conditional
 * (`If-None-Match: *`): checkpoint k is written once.
 */
export function s3CheckpointWitness(s3: Pick<S3Client, 'send'>, bucket: string): CheckpointWitness {
  const get = async (index: number): Promise<string | undefined> => {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: witnessObjectKey(index) }));
      return await out.Body?.transformToString('utf8');
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.name === 'NoSuchKey'))
        return undefined;
      throw new CardfleetError('STORAGE_UNAVAILABLE', 'the checkpoint witness cannot be read', {
        cause: error,
      });
    }
  };
  return {
    get,
    async publish(index, jws) {
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: witnessObjectKey(index),
            Body: jws,
            ContentType: 'application/jose',
            IfNoneMatch: '*',
            // Object Lock buckets refuse a put without an integrity checksum.
            ChecksumAlgorithm: 'SHA256',
          }),
        );
      } catch (error) {
        const exists =
          error instanceof S3ServiceException &&
          (error.name === 'PreconditionFailed' || error.$metadata.httpStatusCode === 412);
        if (!exists)
          throw new CardfleetError('STORAGE_UNAVAILABLE', 'the checkpoint witness refused the put', {
            cause: error,
          });
        if ((await get(index)) !== jws)
          throw new CardfleetError('AUDIT_TAMPERED', `the witness already holds another checkpoint ${index}`);
      }
    },
  };
}
