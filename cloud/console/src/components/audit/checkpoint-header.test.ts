import { describe, expect, it } from 'vitest';
import { checkpointKeyId } from './checkpoint-header';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the key id shown for a checkpoint', () => {
  it("is the kid of the JWS's protected header", () => {
    expect(checkpointKeyId(`${part({ alg: 'ES256', kid: 'k1?>' })}.${part({ index: 1 })}.sig`)).toBe('k1?>');
  });

  it('is absent for a header without a kid, or one that is not base64url JSON', () => {
    expect(checkpointKeyId(`${part({ alg: 'ES256' })}.e30.sig`)).toBeUndefined();
    expect(checkpointKeyId('%%%.e30.sig')).toBeUndefined();
    expect(checkpointKeyId('')).toBeUndefined();
  });
});
