import type { KMSClient } from '@aws-sdk/client-kms';
import { errorStatus } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { kmsKeyWrapper } from './kms-key-wrapper';

const failingKms = { send: async () => Promise.reject(new Error('Rate exceeded')) } as unknown as KMSClient;

describe('KMS key wrapper', () => {
  it('turns a failing KMS call into a retryable dependency failure that keeps its cause', async () => {
    const wrapper = kmsKeyWrapper(failingKms, 'alias/cardfleet');
    const wrapped = wrapper.wrap(new Uint8Array(32));
    await expect(wrapped).rejects.toMatchObject({
      code: 'KMS_ENCRYPT_FAILED',
      cause: { message: 'Rate exceeded' },
    });
    await expect(wrapper.unwrap(new Uint8Array(8))).rejects.toMatchObject({ code: 'KMS_DECRYPT_FAILED' });
    expect(errorStatus('KMS_ENCRYPT_FAILED')).toBe(503);
  });
});
