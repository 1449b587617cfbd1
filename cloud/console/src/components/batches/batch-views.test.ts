import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { JobView } from '../../api/jobs-api';
import { csvProblem } from './batch-start-form';
import { batchesOf } from './recent-batches';

const job = (jobId: string, requestId: string | undefined, createdAt: string) =>
  ({
    jobId,
    agentId: 'agent-1',
    encoding: { id: 'write-ef-gdo', version: 2, sha256: '' },
    createdAt,
    ...(requestId ? { requestId } : {}),
  }) as JobView;

describe('the batches page', () => {
  it("finds batches in the jobs' request ids, latest card first, and leaves other jobs out", () => {
    expect(
      batchesOf([
        job('j1', 'batch.b1.1', '2026-12-06T10:00:00Z'),
        job('j2', 'batch.b1.2', '2026-12-06T10:05:00Z'),
        job('j3', 'req-42', '2026-12-06T10:06:00Z'),
        job('j4', 'batch.b2.1', '2026-12-06T10:03:00Z'),
        job('j5', undefined, '2026-12-06T10:07:00Z'),
      ]),
    ).toEqual([
      {
        batchId: 'b1',
        agentId: 'agent-1',
        encoding: 'write-ef-gdo v2',
        cards: 2,
        lastCardAt: '2026-12-06T10:05:00Z',
      },
      {
        batchId: 'b2',
        agentId: 'agent-1',
        encoding: 'write-ef-gdo v2',
        cards: 1,
        lastCardAt: '2026-12-06T10:03:00Z',
      },
    ]);
  });

  it("puts a refused CSV's row and column in front of the API's message", () => {
    const refusal = (details: Record<string, unknown>) =>
      new ApiError(400, 'BATCH_CSV_INVALID', 'the value is required', details);
    expect(csvProblem(refusal({ row: 3, column: 'HELLO' }))).toBe(
      'Row 3, column HELLO: the value is required',
    );
    expect(csvProblem(refusal({ row: 5 }))).toBe('Row 5: the value is required');
    expect(csvProblem(new ApiError(400, 'REQUEST_INVALID', 'bad body'))).toBeUndefined();
  });
});
