import { describe, expect, it } from 'vitest';
import { EXECUTION_ID_PATTERN, executionId, parseExecutionId } from './execution-id';

describe('execution ids', () => {
  it('round-trips a job id and attempt', () => {
    expect(executionId('job-1', 3)).toBe('job-1:3');
    expect(parseExecutionId('job-1:3')).toEqual({ jobId: 'job-1', attempt: 3 });
    expect(EXECUTION_ID_PATTERN.test(executionId('0b9c-uuid', 12))).toBe(true);
    for (const attempt of [1, 9, 10, 123])
      expect(EXECUTION_ID_PATTERN.test(executionId('job-1', attempt))).toBe(true);
    for (const id of ['job-1:0', 'job-1:01', 'job-1:1x', ' job-1:1', 'job/1:1', ':1'])
      expect(EXECUTION_ID_PATTERN.test(id), id).toBe(false);
  });

  it('splits at the last colon, so a rejection’s envelope:<hash> job id survives', () => {
    expect(parseExecutionId(executionId('envelope:5d41402abc4b2a76', 1))).toEqual({
      jobId: 'envelope:5d41402abc4b2a76',
      attempt: 1,
    });
  });

  it('refuses ids that name no execution', () => {
    for (const id of ['job-1', ':1', 'job-1:0', 'job-1:x', 'job-1:', 'job-1:01'])
      expect(() => parseExecutionId(id)).toThrow(expect.objectContaining({ code: 'EXECUTION_ID_MALFORMED' }));
  });
});
