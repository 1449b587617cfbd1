import { describe, expect, it } from 'vitest';
import {
  AuditCardProofSchema,
  AuditCheckpointSchema,
  AuditConsistencySchema,
  AuditEntryParamsSchema,
  AuditEntryViewSchema,
  AuditFilterQuerySchema,
  AuditPageSchema,
  AuditProveQuerySchema,
  AuditRepairedSchema,
  AuditRepairSchema,
  AuditVerifySchema,
} from './audit-api-schemas';
import { expectField, MISSING } from './schema-fields.test-support';

/*
 * The audit routes' requests and answers (docs/cloud.md "Auditor"): one good value parses
 * to itself, each constraint is tried at its boundary from both sides, one field off at
 * a time (docs/mutation-testing.md, static mutants).
 */

const entry = {
  shard: 0,
  seq: 1,
  at: '2026-11-29T12:00:00.000Z',
  actor: 'otto',
  action: 'job.created',
  office: 'berlin',
  agentId: 'agent-1',
  cardSerial: '42',
  encoding: { id: 'e', version: 1, sha256: 'ab' },
  details: { jobId: 'job-1' },
  prevHash: '00',
  hash: '11',
  mac: '22',
};

describe('audit requests', () => {
  it('filters the list and export with an opaque cursor of at most 2000 characters', () => {
    expect(AuditFilterQuerySchema.parse({})).toEqual({ limit: 100, format: 'json' });
    const query = { office: 'berlin', cursor: 'c'.repeat(2000), limit: 1000, format: 'csv' };
    expect(AuditFilterQuerySchema.parse(query)).toEqual(query);
    expectField(AuditFilterQuerySchema, query, ['cursor'], {
      good: ['', MISSING],
      bad: ['c'.repeat(2001), 5],
    });
    expectField(AuditFilterQuerySchema, query, ['limit'], { bad: [0, 1001] });
    expectField(AuditFilterQuerySchema, query, ['format'], { bad: ['xml'] });
  });

  it('repairs a shard or the log between positive positions, with a reason of 1 to 500 characters', () => {
    const repair = { shard: 0, from: 1, to: 2, reason: 'restored from backup' };
    expect(AuditRepairSchema.parse(repair)).toEqual(repair);
    expectField(AuditRepairSchema, repair, ['shard'], {
      good: [3, 'LOG'],
      bad: [-1, 0.5, 'log', 'LOGS', MISSING],
    });
    expectField(AuditRepairSchema, repair, ['from'], { good: [MISSING], bad: [0, 1.5] });
    expectField(AuditRepairSchema, repair, ['to'], { good: [MISSING], bad: [0, 1.5] });
    expectField(AuditRepairSchema, repair, ['reason'], {
      good: ['r', 'r'.repeat(500)],
      bad: ['', 'r'.repeat(501), MISSING],
    });
  });

  it('proves a card against the newest checkpoint or a positive one', () => {
    expect(AuditProveQuerySchema.parse({ card: '42' })).toEqual({ card: '42' });
    expect(AuditProveQuerySchema.parse({ card: 'c'.repeat(200), checkpoint: '1' })).toEqual({
      card: 'c'.repeat(200),
      checkpoint: 1,
    });
    for (const bad of [
      { card: '' },
      { card: 'c'.repeat(201) },
      { card: '42', checkpoint: '0' },
      { card: '42', checkpoint: '1.5' },
      {},
    ])
      expect(AuditProveQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('names one entry by a shard from 0 and a sequence number from 1', () => {
    expect(AuditEntryParamsSchema.parse({ shard: '0', seq: '1' })).toEqual({ shard: 0, seq: 1 });
    for (const bad of [
      { shard: '-1', seq: '1' },
      { shard: '0', seq: '0' },
      { shard: '0.5', seq: '1' },
      { shard: '0', seq: '1.5' },
      { shard: '0' },
    ])
      expect(AuditEntryParamsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('audit answers', () => {
  it('shows an entry with every member, and one with only the required ones', () => {
    expect(AuditEntryViewSchema.parse(entry)).toEqual(entry);
    const { agentId: _a, cardSerial: _c, encoding: _e, details: _d, mac: _m, ...required } = entry;
    expect(AuditEntryViewSchema.parse(required)).toEqual(required);
    for (const key of ['shard', 'seq', 'at', 'actor', 'action', 'office', 'prevHash', 'hash'])
      expectField(AuditEntryViewSchema, entry, [key], { bad: [MISSING] });
    expectField(AuditEntryViewSchema, entry, ['seq'], { bad: [1.5] });
    expectField(AuditEntryViewSchema, entry, ['encoding', 'version'], { bad: [1.5] });
    const page = { items: [entry], nextCursor: 'n' };
    expect(AuditPageSchema.parse(page)).toEqual(page);
    expectField(AuditPageSchema, page, ['nextCursor'], { good: [MISSING] });
    expectField(AuditPageSchema, page, ['items', 0, 'hash'], { bad: [MISSING] });
  });

  it('reports a verification with its checkpoint, problems, quarantines and alerts', () => {
    const verify = {
      ok: false,
      entries: 10,
      checkpoint: { index: 1, size: 10, root: 'ab', jws: 'x.y.z' },
      from: 0,
      uncovered: 2,
      problems: [{ shard: 'LOG', seq: 3, reason: 'hash' }],
      quarantined: [{ shard: 0, from: 1, to: 2, reason: 'r', at: 't', by: 'otto' }],
      alerts: [{ shard: 1, seq: 4, reason: 'mac', at: 't', repaired: 't' }],
      shard: 'LOG',
      seq: 3,
      reason: 'hash',
    };
    expect(AuditVerifySchema.parse(verify)).toEqual(verify);
    expectField(AuditVerifySchema, verify, ['shard'], { good: [2, MISSING], bad: ['log', 1.5] });
    expectField(AuditVerifySchema, verify, ['problems', 0, 'shard'], { good: [-1], bad: ['LOG ', 0.5] });
    expectField(AuditVerifySchema, verify, ['alerts', 0, 'repaired'], { good: [MISSING] });
    expectField(AuditVerifySchema, verify, ['alerts', 0, 'at'], { bad: [MISSING] });
    expectField(AuditVerifySchema, verify, ['quarantined', 0, 'by'], { bad: [MISSING] });
    expectField(AuditVerifySchema, verify, ['checkpoint'], { good: [MISSING] });
    expectField(AuditVerifySchema, verify, ['checkpoint', 'jws'], { bad: [MISSING] });
    expectField(AuditVerifySchema, verify, ['entries'], { bad: [1.5, MISSING] });
    expectField(AuditVerifySchema, verify, ['ok'], { bad: ['false'] });
  });

  it('shows a checkpoint, a consistency proof and a card proof', () => {
    const checkpoint = { index: 1, size: 10, root: 'ab', at: 't', checkpoint: 'x.y.z' };
    expect(AuditCheckpointSchema.parse(checkpoint)).toEqual(checkpoint);
    expectField(AuditCheckpointSchema, checkpoint, ['size'], { bad: [1.5] });
    const consistency = { from: 'a', to: 'b', proof: ['c'] };
    expect(AuditConsistencySchema.parse(consistency)).toEqual(consistency);
    expectField(AuditConsistencySchema, consistency, ['proof'], { bad: [MISSING, [1]] });
    const proof = {
      cardSerial: '42',
      checkpoint: 'x.y.z',
      entries: [{ entry, index: 0, proof: ['ab'] }],
      pending: [{ shard: 0, seq: 2 }],
    };
    expect(AuditCardProofSchema.parse(proof)).toEqual(proof);
    expectField(AuditCardProofSchema, proof, ['entries', 0, 'entry', 'hash'], { bad: [MISSING] });
    expectField(AuditCardProofSchema, proof, ['pending', 0, 'seq'], { bad: [1.5] });
  });

  it('reports a repair of a shard or of the log', () => {
    const repaired = { shard: 'LOG', from: 1, to: 2, restored: [1, 2] };
    expect(AuditRepairedSchema.parse(repaired)).toEqual(repaired);
    expect(AuditRepairedSchema.parse({ shard: 0 })).toEqual({ shard: 0 });
    expectField(AuditRepairedSchema, repaired, ['shard'], { bad: ['log', MISSING] });
    expectField(AuditRepairedSchema, repaired, ['restored'], { bad: [[1.5]] });
  });
});
