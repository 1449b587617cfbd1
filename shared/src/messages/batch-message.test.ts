import { describe, expect, it } from 'vitest';
import {
  BATCH_CLOSED_SECONDS,
  BATCH_OPEN_SECONDS,
  BATCH_STATES,
  BatchClaimsSchema,
  buildBatchClaims,
} from './batch-message';
import { expectField, MISSING } from './schema-fields.test-support';

/*
 * The batch message's claims (docs/batches.md): each member at its limits, and the
 * lifetimes of an open and a closed batch.
 */

const id128 = `b${'x'.repeat(127)}`;
const claims = {
  iss: 'cardfleet-cloud',
  aud: 'agent-1',
  iat: 1000,
  nbf: 995,
  exp: 1000 + 24 * 3600,
  batch: {
    id: 'b-1',
    office: 'berlin',
    reader: 'Virtual PCD 00 00',
    encoding: { id: 'write-ef', version: 1 },
    count: 5,
    stopAfterConsecutiveFailures: 3,
    status: 'CLOSED',
    closed: { state: 'HALTED', reason: '3 failed cards in a row' },
  },
};

describe('batch claims', () => {
  it('parse to themselves, with or without a count and a closing', () => {
    expect(BatchClaimsSchema.parse(claims)).toEqual(claims);
    expectField(BatchClaimsSchema, claims, ['batch', 'count'], { good: [MISSING, 1], bad: [0, 1.5] });
    expectField(BatchClaimsSchema, claims, ['batch', 'closed'], { good: [MISSING] });
  });

  it('take identifiers of 1 to 128 letters, digits, _ . : - and nothing around them', () => {
    for (const path of [['aud'], ['batch', 'id'], ['batch', 'office'], ['batch', 'encoding', 'id']])
      expectField(BatchClaimsSchema, claims, path, {
        good: ['a', 'Z', '9', id128, 'a_b.c:d-e'],
        bad: ['', `${id128}x`, '_a', ' a', 'a ', 'a/b', MISSING],
      });
  });

  it('check the issuer, times, reader, version and failure limit', () => {
    expectField(BatchClaimsSchema, claims, ['iss'], { good: ['i'], bad: ['', MISSING] });
    for (const key of ['iat', 'nbf', 'exp'])
      expectField(BatchClaimsSchema, claims, [key], { good: [0], bad: [1.5, MISSING] });
    expectField(BatchClaimsSchema, claims, ['batch', 'reader'], {
      good: ['r', 'r'.repeat(256)],
      bad: ['', 'r'.repeat(257)],
    });
    expectField(BatchClaimsSchema, claims, ['batch', 'encoding', 'version'], { good: [2], bad: [0, 1.5] });
    expectField(BatchClaimsSchema, claims, ['batch', 'stopAfterConsecutiveFailures'], {
      good: [1],
      bad: [0, 1.5, MISSING],
    });
  });

  it('are OPEN or CLOSED, and closed in a batch state with a reason of at most 300 characters', () => {
    expectField(BatchClaimsSchema, claims, ['batch', 'status'], {
      good: ['OPEN'],
      bad: ['open', 'ENDED', MISSING],
    });
    expect(BATCH_STATES).toEqual(['RUNNING', 'STOPPED', 'COMPLETED', 'HALTED']);
    expectField(BatchClaimsSchema, claims, ['batch', 'closed', 'state'], {
      good: ['RUNNING', 'STOPPED', 'COMPLETED'],
      bad: ['halted', 'CLOSED', MISSING],
    });
    expectField(BatchClaimsSchema, claims, ['batch', 'closed', 'reason'], {
      good: ['', 'r'.repeat(300)],
      bad: ['r'.repeat(301), MISSING],
    });
  });
});

describe('building batch claims', () => {
  it('lets an open batch live a day and a closed one five minutes, from 5 s before now', () => {
    expect([BATCH_OPEN_SECONDS, BATCH_CLOSED_SECONDS]).toEqual([86_400, 300]);
    const { closed: _c, ...rest } = claims.batch;
    const openBatch = { ...rest, status: 'OPEN' as const };
    expect(buildBatchClaims('agent-1', { issuer: 'cardfleet-cloud', now: 1000, batch: openBatch })).toEqual({
      iss: 'cardfleet-cloud',
      aud: 'agent-1',
      iat: 1000,
      nbf: 995,
      exp: 1000 + 86_400,
      batch: openBatch,
    });
    const closed = {
      ...claims.batch,
      status: 'CLOSED' as const,
      closed: { state: 'HALTED' as const, reason: 'r' },
    };
    expect(
      buildBatchClaims('agent-1', { issuer: 'cardfleet-cloud', now: 1000, batch: closed }),
    ).toMatchObject({
      exp: 1300,
    });
  });

  it('refuses to build claims its schema refuses', () => {
    const { closed: _c, ...batch } = { ...claims.batch, status: 'OPEN' as const };
    expect(() => buildBatchClaims('agent 1', { issuer: 'cardfleet-cloud', now: 1000, batch })).toThrow();
    expect(() =>
      buildBatchClaims('agent-1', { issuer: 'cardfleet-cloud', now: 1000, batch: { ...batch, reader: '' } }),
    ).toThrow();
  });
});
