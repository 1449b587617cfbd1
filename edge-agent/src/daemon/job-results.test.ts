import { JobResultSchema } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import type { EncodingRun } from '../runner/job-runner';
import {
  cancelledResult,
  completedResult,
  failedResult,
  interruptedResult,
  rejectedResult,
} from './job-results';

const execution = { jobId: 'job-1', attempt: 2, agentId: 'agent-1' };
const started = { ...execution, startedAt: '2026-01-01T10:00:00.000Z' };
const FINISHED = '2026-01-01T10:00:05.000Z';
const run: EncodingRun = {
  status: 'FAILED',
  card: { reader: 'R', atr: '3B00', cardNames: [] },
  applications: [
    {
      name: 'A',
      kind: 'apdu',
      status: 'FAILED',
      outputs: {},
      apdus: [],
      failure: { code: 'X', message: 'x' },
    },
  ],
  error: { code: 'CARD_REMOVED', message: 'line 3: gone' },
};

describe('job results', () => {
  it('reports an interrupted job as not run again, without a start time', () => {
    const result = interruptedResult(execution, FINISHED);
    expect(result).toEqual({
      ...execution,
      status: 'INTERRUPTED',
      finishedAt: FINISHED,
      applications: [],
      error: { code: 'AGENT_RESTARTED', message: expect.stringContaining('not run again') },
    });
    expect(JobResultSchema.parse(result)).toEqual(result);
  });

  it('reports a cancelled job with the CANCELED error and no applications', () => {
    const result = cancelledResult(started, FINISHED);
    expect(result).toMatchObject({
      ...started,
      status: 'CANCELED',
      applications: [],
      error: { code: 'CANCELED' },
    });
    expect(JobResultSchema.parse(result)).toEqual(result);
  });

  it('reports a job that could not run with its error code', () => {
    const result = failedResult(started, FINISHED, { code: 'NO_CARD', message: 'empty reader' });
    expect(result).toEqual({
      ...started,
      status: 'FAILED',
      finishedAt: FINISHED,
      applications: [],
      error: { code: 'NO_CARD', message: 'empty reader' },
    });
  });

  it('names a rejected envelope by its hash, never by its content', () => {
    const sha = 'ab'.repeat(32);
    const result = rejectedResult('agent-1', sha, FINISHED, {
      code: 'ENVELOPE_EXPIRED',
      message: 'too late',
    });
    expect(result).toMatchObject({
      jobId: `envelope:${sha.slice(0, 16)}`,
      attempt: 1,
      status: 'REJECTED',
      rejection: { reason: 'ENVELOPE_EXPIRED', envelopeSha256: sha },
    });
    expect(JobResultSchema.parse(result)).toEqual(result);
  });

  it('carries the run on the card as it went: status, card, applications and error', () => {
    const result = completedResult(started, FINISHED, run);
    expect(result).toEqual({
      ...started,
      status: 'FAILED',
      finishedAt: FINISHED,
      card: run.card,
      applications: run.applications,
      error: run.error,
    });
    const succeeded = completedResult(started, FINISHED, {
      status: 'SUCCEEDED',
      card: run.card,
      applications: [],
    });
    expect(succeeded.status).toBe('SUCCEEDED');
    expect(succeeded).not.toHaveProperty('error');
  });

  it('turns a run that a cancel decided into CANCELED, keeping what the run reported', () => {
    const result = completedResult(started, FINISHED, run, true);
    expect(result).toMatchObject({ status: 'CANCELED', error: { code: 'CANCELED' }, card: run.card });
    expect(result.applications).toEqual(run.applications);
  });
});
