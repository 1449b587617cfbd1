import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTable } from './dynamo-table';

/** A DynamoTable whose client fails every call with `error` (no network). */
const failingWith = (error: unknown) =>
  new DynamoTable({ send: async () => Promise.reject(error) } as unknown as DynamoDBClient, 'cardfleet');

describe('table failures', () => {
  it('turns a server fault, throttling and a dropped connection into STORAGE_UNAVAILABLE', async () => {
    const faults = [
      Object.assign(new Error('internal server error'), { name: 'InternalServerError', $fault: 'server' }),
      Object.assign(new Error('rate exceeded'), {
        name: 'ThrottlingException',
        $fault: 'client',
        $retryable: { throttling: true },
      }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
    ];
    for (const fault of faults)
      await expect(failingWith(fault).get({ PK: 'JOB#1', SK: 'JOB' })).rejects.toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
        cause: fault,
      });
  });

  it('keeps a lost condition a normal answer and passes a validation error through unchanged', async () => {
    const lost = new ConditionalCheckFailedException({ message: 'the condition failed', $metadata: {} });
    expect(await failingWith(lost).putNew({ PK: 'JOB#1', SK: 'JOB' })).toBe(false);
    const invalid = Object.assign(new Error('One or more parameter values were invalid'), {
      name: 'ValidationException',
      $fault: 'client',
    });
    await expect(failingWith(invalid).get({ PK: 'JOB#1', SK: 'JOB' })).rejects.toBe(invalid);
  });
});
