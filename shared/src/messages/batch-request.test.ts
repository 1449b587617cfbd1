import { describe, expect, it } from 'vitest';
import { JOB_STATES } from '../jobs/job-lifecycle';
import {
  type BatchRequest,
  BatchRequestSchema,
  batchRequestId,
  buildBatchRequest,
  countsAsBatchFailure,
  parseBatchRequest,
  parseBatchRequestId,
} from './batch-request';

const request: BatchRequest = {
  batchId: 'b-1',
  cardIndex: 1,
  atr: '3B8F8001',
  at: '2026-11-29T12:00:00.000Z',
};
const id128 = `b${'x'.repeat(127)}`;

const code = (payload: string) => {
  try {
    parseBatchRequest(payload);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'taken';
};

describe("the agent's next-card request", () => {
  it('is written in the current wire version and read back as it was', () => {
    const message = buildBatchRequest(request);
    expect(JSON.parse(message)).toEqual({ v: 3, ...request });
    expect(parseBatchRequest(message)).toEqual(request);
    expect(buildBatchRequest(request, 1)).toBe(JSON.stringify(request));
    expect(parseBatchRequest(JSON.stringify(request))).toEqual(request);
  });

  it('takes a batch id of 1 to 128 letters, digits, _ . : - and nothing around it', () => {
    for (const batchId of ['b', 'B', '0', id128, 'a_b.c:d-e'])
      expect(BatchRequestSchema.safeParse({ ...request, batchId }).success, batchId).toBe(true);
    for (const batchId of ['', `${id128}x`, '_b', ':b', ' b', 'b ', 'b/c', 'b\n'])
      expect(BatchRequestSchema.safeParse({ ...request, batchId }).success, JSON.stringify(batchId)).toBe(
        false,
      );
  });

  it('numbers cards from 1', () => {
    for (const cardIndex of [1, 10_000])
      expect(BatchRequestSchema.safeParse({ ...request, cardIndex }).success).toBe(true);
    for (const cardIndex of [0, -1, 1.5, '1'])
      expect(BatchRequestSchema.safeParse({ ...request, cardIndex }).success, String(cardIndex)).toBe(false);
  });

  it('takes an absent, empty or upper-case hex ATR of at most 66 digits', () => {
    const { atr: _a, ...withoutAtr } = request;
    expect(BatchRequestSchema.parse(withoutAtr)).toEqual(withoutAtr);
    for (const atr of ['', '0123456789ABCDEF', 'F'.repeat(66)])
      expect(BatchRequestSchema.safeParse({ ...request, atr }).success, atr).toBe(true);
    for (const atr of ['3b', 'G0', 'F'.repeat(67), ' 3B', '3B ', '3B:8F'])
      expect(BatchRequestSchema.safeParse({ ...request, atr }).success, atr).toBe(false);
  });

  it('carries an ISO date-time', () => {
    for (const at of ['yesterday', '', '2026-11-29'])
      expect(BatchRequestSchema.safeParse({ ...request, at }).success, at).toBe(false);
    const { at: _t, ...withoutAt } = request;
    expect(BatchRequestSchema.safeParse(withoutAt).success).toBe(false);
  });

  it('refuses text that is not JSON, a malformed request and a newer wire version with their codes', () => {
    expect(code('{')).toBe('BATCH_REQUEST_INVALID');
    expect(code(JSON.stringify({ ...request, cardIndex: 0 }))).toBe('BATCH_REQUEST_INVALID');
    expect(code(JSON.stringify({ v: 4, ...request }))).toBe('BATCH_REQUEST_UNSUPPORTED_VERSION');
    expect(code(JSON.stringify({ v: 2, ...request }))).toBe('taken');
  });
});

describe("a batch card's request id", () => {
  it('names the batch and the card, and reads back', () => {
    expect(batchRequestId('b-1', 7)).toBe('batch.b-1.7');
    expect(parseBatchRequestId('batch.b-1.7')).toEqual({ batchId: 'b-1', cardIndex: 7 });
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(parseBatchRequestId(batchRequestId(uuid, 123_456_789))).toEqual({
      batchId: uuid,
      cardIndex: 123_456_789,
    });
    expect(parseBatchRequestId('batch.A_b:c-9.1')).toEqual({ batchId: 'A_b:c-9', cardIndex: 1 });
    expect(parseBatchRequestId('batch.b.999999999')).toEqual({ batchId: 'b', cardIndex: 999_999_999 });
  });

  it('reads no batch from a request id that is absent, not a batch card or has junk around it', () => {
    for (const requestId of [
      undefined,
      '',
      'req-1',
      'batch.b-1',
      'batch.b-1.',
      'batch..1',
      'batch._b.1',
      'batch.b-1.0',
      'batch.b-1.01',
      'batch.b-1.1000000000',
      'batch.b-1.-1',
      'batch.b-1.1x',
      'batch.b-1.1 ',
      'xbatch.b-1.1',
      ' batch.b-1.1',
      'Batch.b-1.1',
      'batch.b.c.1',
      'batch.b c.1',
    ])
      expect(parseBatchRequestId(requestId), String(requestId)).toBeUndefined();
  });
});

describe("what counts towards a batch's failures in a row", () => {
  it('counts a failed card and a refused job, nothing else', () => {
    const counted = [...JOB_STATES, 'SKIPPED'].filter((s) =>
      countsAsBatchFailure(s as Parameters<typeof countsAsBatchFailure>[0]),
    );
    expect(counted).toEqual(['FAILED', 'REJECTED']);
  });
});
