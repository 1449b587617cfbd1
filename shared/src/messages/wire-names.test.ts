import { describe, expect, it } from 'vitest';
import { BATCH_MESSAGE_TYPE } from './batch-message';
import { CLOUD_INGEST_USER, CLOUD_PUBLISH_USER } from './broker-policy';
import { JOB_CANCEL_TYPE } from './job-cancel';
import { JOB_ENVELOPE_TYPE } from './job-claims';
import { KEY_SET_TYPE } from './key-set';
import { REDACTED } from './redaction';
import { RESULT_TYPE } from './result-message';

/**
 * Names other parties hold too — agents already in the field, broker ACLs, people
 * reading a redacted trace (docs/messaging.md). Signer and verifier share each constant,
 * so only a test that spells it out notices when one changes (docs/mutation-testing.md).
 */
describe('names on the wire', () => {
  it('gives each signed kind its own typ, and no two kinds the same', () => {
    const types = [JOB_ENVELOPE_TYPE, JOB_CANCEL_TYPE, KEY_SET_TYPE, RESULT_TYPE, BATCH_MESSAGE_TYPE];
    expect(types).toEqual([
      'cardfleet-job+jws',
      'cardfleet-cancel+jws',
      'cardfleet-keyset+jws',
      'cardfleet-result+jws',
      'cardfleet-batch+jws',
    ]);
    expect(new Set(types).size).toBe(types.length);
  });

  it("names the cloud's broker users as the brokers' password files and ACLs do", () => {
    expect(CLOUD_PUBLISH_USER).toBe('cardfleet-cloud-publish');
    expect(CLOUD_INGEST_USER).toBe('cardfleet-cloud-ingest');
  });

  it('marks a redacted value visibly, so a reader knows something was hidden', () => {
    expect(REDACTED).toBe('[REDACTED]');
  });
});
