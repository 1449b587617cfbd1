import type { JobResult } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { resultSummary } from './result-summary';

const base = { jobId: 'job-7', attempt: 1, agentId: 'a', finishedAt: '2026-12-01T10:00:00.000Z' };

describe('the log line of a result', () => {
  it('says where a failed job failed: application, line, status word and its meaning', () => {
    const result: JobResult = {
      ...base,
      status: 'FAILED',
      applications: [
        {
          name: 'Verify',
          kind: 'apdu',
          status: 'FAILED',
          outputs: {},
          apdus: [],
          failure: {
            code: 'CARD_STATUS',
            message: 'line 4: the card answered 63C2 (verification failed, 2 tries left)',
            line: 4,
            sw: '63C2',
          },
        },
      ],
    };
    const { message, fields } = resultSummary(result);
    expect(message).toBe(
      'job job-7:1: FAILED — application "Verify", line 4: the card answered 63C2 (verification failed, 2 tries left) [CARD_STATUS]',
    );
    expect(fields).toMatchObject({
      jobId: 'job-7',
      line: 4,
      sw: '63C2',
      swMeaning: 'verification failed, 2 tries left',
    });
  });

  it('falls back to the status word and its generic meaning when the failure has no sentence', () => {
    const { message } = resultSummary({
      ...base,
      status: 'FAILED',
      applications: [
        {
          name: 'A',
          kind: 'apdu',
          status: 'FAILED',
          outputs: {},
          apdus: [],
          failure: { code: 'X', message: '', line: 2, sw: '6982' },
        },
      ],
    });
    expect(message).toMatch(
      /^job job-7:1: FAILED — application "A", line 2: the card answered 6982 \(.+\) \[X\]$/,
    );
  });

  it('gives a cancelled or rejected job its reason instead of the status word alone', () => {
    const cancelled = resultSummary({
      ...base,
      status: 'CANCELED',
      applications: [],
      error: { code: 'JOB_CANCELED', message: 'cancelled before it touched the card' },
    });
    expect(cancelled.message).toBe(
      'job job-7:1: CANCELED — cancelled before it touched the card [JOB_CANCELED]',
    );
    const ok = resultSummary({ ...base, status: 'SUCCEEDED', applications: [] });
    expect(ok.message).toBe('job job-7:1: SUCCEEDED');
  });
});
