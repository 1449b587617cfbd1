import { describe, expect, it } from 'vitest';
import {
  ApprovalSchema,
  CreateReleaseSchema,
  DEFAULT_RELEASE_THRESHOLDS,
  EncodingParamsSchema,
  EncodingVersionParamsSchema,
  EVERY_OFFICE,
  RELEASE_STATES,
  ReleaseActionSchema,
  ReleaseListQuerySchema,
  ReleaseListSchema,
  ReleaseParamsSchema,
  ReleaseSchema,
  ReleaseThresholdsSchema,
  RunnableQuerySchema,
  RunnableSchema,
  VERSION_STATUSES,
  VersionLifecycleSchema,
} from './release-schemas';

describe('release requests', () => {
  it('takes a canary stage then every office, and refuses "*" before the last stage', () => {
    expect(CreateReleaseSchema.safeParse({ stages: [['berlin'], ['*']] }).success).toBe(true);
    expect(CreateReleaseSchema.safeParse({ stages: [['*'], ['berlin']] }).success).toBe(false);
    expect(CreateReleaseSchema.safeParse({ stages: [] }).success).toBe(false);
    expect(CreateReleaseSchema.safeParse({ stages: [['bad#office']] }).success).toBe(false);
  });

  it('refuses thresholds out of range', () => {
    expect(ReleaseThresholdsSchema.partial().safeParse({ windowMaxFailureRate: 1.5 }).success).toBe(false);
    expect(ReleaseThresholdsSchema.partial().safeParse({ firstJobs: 0 }).success).toBe(false);
  });
});

const thresholds = { firstJobs: 10, firstMaxFailures: 2, window: 50, windowMaxFailureRate: 0.2 };
const lifecycle = {
  encodingId: 'enc-1',
  version: 3,
  status: 'approved',
  legacy: false,
  uploadedBy: 'ada',
  approvedBy: 'bob',
  approvedAt: '2026-12-06T10:00:00.000Z',
  retiredBy: 'cy',
  retiredAt: '2026-12-07T10:00:00.000Z',
};
const release = {
  releaseId: '7d444840-9dc0-41e9-a6c6-c5b3c0d6d9a1',
  encodingId: 'enc-1',
  version: 3,
  sha256: 'ab'.repeat(32),
  state: 'HALTED',
  stages: [['berlin'], ['*']],
  stage: 0,
  offices: ['berlin'],
  thresholds,
  counts: {
    counted: 4,
    failed: 3,
    ignored: 1,
    first: [{ key: 'job-1#1', failed: true }],
    recent: [{ key: 'job-2#1', failed: false }],
    ignoredRecent: ['job-3#1'],
  },
  halt: { at: '2026-12-06T11:00:00.000Z', by: 'release-monitor', reason: 'first jobs failed' },
  createdAt: '2026-12-06T10:30:00.000Z',
  createdBy: 'ada',
  history: [{ action: 'create', at: '2026-12-06T10:30:00.000Z', by: 'ada', offices: ['berlin'] }],
};
const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;
const without = (value: Record<string, unknown>, key: string) => {
  const copy = { ...value };
  delete copy[key];
  return copy;
};

describe('the release vocabulary', () => {
  it('names the version statuses, the release states and every office', () => {
    expect(VERSION_STATUSES).toEqual(['draft', 'approved', 'released', 'retired']);
    expect(RELEASE_STATES).toEqual(['ACTIVE', 'HALTED', 'ROLLED_BACK']);
    expect(EVERY_OFFICE).toBe('*');
    expect(DEFAULT_RELEASE_THRESHOLDS).toEqual(thresholds);
    expect(ReleaseThresholdsSchema.parse(DEFAULT_RELEASE_THRESHOLDS)).toEqual(thresholds);
  });
});

describe('release thresholds', () => {
  it('take each field at both ends of its range, and nothing past them', () => {
    const verdicts = (
      [
        ['firstJobs', 1, true],
        ['firstJobs', 1000, true],
        ['firstJobs', 0, false],
        ['firstJobs', 1001, false],
        ['firstJobs', 1.5, false],
        ['firstMaxFailures', 0, true],
        ['firstMaxFailures', 1000, true],
        ['firstMaxFailures', -1, false],
        ['firstMaxFailures', 1001, false],
        ['firstMaxFailures', 0.5, false],
        ['window', 1, true],
        ['window', 1000, true],
        ['window', 0, false],
        ['window', 1001, false],
        ['window', 2.5, false],
        ['windowMaxFailureRate', 0, true],
        ['windowMaxFailureRate', 1, true],
        ['windowMaxFailureRate', 0.5, true],
        ['windowMaxFailureRate', -0.01, false],
        ['windowMaxFailureRate', 1.01, false],
        ['windowMaxFailureRate', '0.5', false],
      ] as const
    ).map(([key, value, expected]) => [
      key,
      value,
      expected,
      ok(ReleaseThresholdsSchema, { ...thresholds, [key]: value }),
    ]);
    for (const [key, value, expected, actual] of verdicts)
      expect([key, value, actual]).toEqual([key, value, expected]);
  });

  it('need every field', () => {
    for (const key of Object.keys(thresholds))
      expect([key, ok(ReleaseThresholdsSchema, without(thresholds, key))]).toEqual([key, false]);
  });
});

describe('a release request', () => {
  it('parses to exactly its stages and thresholds', () => {
    const request = { stages: [['berlin', 'paris'], ['*']], thresholds: { firstJobs: 5 } };
    expect(CreateReleaseSchema.parse(request)).toEqual(request);
    expect(CreateReleaseSchema.parse({ stages: [['berlin']], ignored: 1 })).toEqual({ stages: [['berlin']] });
    expect(CreateReleaseSchema.parse({ stages: [['*']], thresholds: {} })).toEqual({
      stages: [['*']],
      thresholds: {},
    });
  });

  it('takes 1 to 10 stages of 1 to 100 offices each', () => {
    const offices = (n: number) => Array.from({ length: n }, (_, i) => `office-${i}`);
    const stages = (n: number) => Array.from({ length: n }, (_, i) => [`office-${i}`]);
    expect([0, 1, 10, 11].map((n) => ok(CreateReleaseSchema, { stages: stages(n) }))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect([0, 1, 100, 101].map((n) => ok(CreateReleaseSchema, { stages: [offices(n)] }))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('takes office ids and "*", and nothing else as an office', () => {
    expect(
      ['berlin', 'B.1_x-2', '*', '**', ' berlin', 'berlin#', '', '-berlin'].map((o) =>
        ok(CreateReleaseSchema, { stages: [[o]] }),
      ),
    ).toEqual([true, true, true, false, false, false, false, false]);
  });

  it('keeps "*" for the last stage', () => {
    const verdict = (stages: string[][]) => ok(CreateReleaseSchema, { stages });
    expect(verdict([['berlin', '*']])).toBe(true);
    expect(verdict([['berlin'], ['paris'], ['*']])).toBe(true);
    expect(verdict([['berlin'], ['*'], ['paris']])).toBe(false);
    expect(verdict([['*'], ['*']])).toBe(false);
    expect(verdict([['berlin', '*'], ['paris']])).toBe(false);
    const refusal = CreateReleaseSchema.safeParse({ stages: [['*'], ['berlin']] });
    expect(refusal.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['stages'], 'only the last stage may be every office ("*")'],
    ]);
  });

  it('refuses bad thresholds, a missing stage list and stages that are not lists', () => {
    expect(ok(CreateReleaseSchema, { stages: [['berlin']], thresholds: { window: 0 } })).toBe(false);
    expect(ok(CreateReleaseSchema, { thresholds: {} })).toBe(false);
    expect(ok(CreateReleaseSchema, { stages: ['berlin'] })).toBe(false);
  });
});

describe('release routes', () => {
  it('take an optional reason of at most 500 characters for an action', () => {
    expect(ReleaseActionSchema.parse(undefined)).toEqual({});
    expect(ReleaseActionSchema.parse({ reason: 'too many failures' })).toEqual({
      reason: 'too many failures',
    });
    expect(
      ['x'.repeat(500), 'x'.repeat(501), 5].map((reason) => ok(ReleaseActionSchema, { reason })),
    ).toEqual([true, false, false]);
  });

  it('read an encoding version from the path, its number coerced and positive', () => {
    expect(EncodingVersionParamsSchema.parse({ id: 'enc-1', version: '3' })).toEqual({
      id: 'enc-1',
      version: 3,
    });
    expect(
      ['1', '0', '-1', '1.5', 'x'].map((version) =>
        ok(EncodingVersionParamsSchema, { id: 'enc-1', version }),
      ),
    ).toEqual([true, false, false, false, false]);
    expect(ok(EncodingVersionParamsSchema, { id: 'enc#1', version: '1' })).toBe(false);
    expect(EncodingParamsSchema.parse({ id: 'enc-1' })).toEqual({ id: 'enc-1' });
    expect(ok(EncodingParamsSchema, { id: 'enc 1' })).toBe(false);
  });

  it('read a release id as a UUID', () => {
    expect(ReleaseParamsSchema.parse({ rid: release.releaseId })).toEqual({ rid: release.releaseId });
    expect(ok(ReleaseParamsSchema, { rid: 'release-1' })).toBe(false);
  });

  it('filter releases by encoding and state, and runnable versions by office', () => {
    expect(ReleaseListQuerySchema.parse({})).toEqual({});
    expect(ReleaseListQuerySchema.parse({ encodingId: 'enc-1', state: 'ROLLED_BACK' })).toEqual({
      encodingId: 'enc-1',
      state: 'ROLLED_BACK',
    });
    expect(ok(ReleaseListQuerySchema, { state: 'active' })).toBe(false);
    expect(ok(ReleaseListQuerySchema, { encodingId: '' })).toBe(false);
    expect(RunnableQuerySchema.parse({ office: 'berlin' })).toEqual({ office: 'berlin' });
    expect(RunnableQuerySchema.parse({})).toEqual({});
    expect(ok(RunnableQuerySchema, { office: '*' })).toBe(false);
  });
});

describe('release answers', () => {
  it('a version lifecycle parses to itself and needs its fields', () => {
    expect(VersionLifecycleSchema.parse(lifecycle)).toEqual(lifecycle);
    const bare = { encodingId: 'enc-1', version: 1, status: 'draft', legacy: true, uploadedBy: 'ada' };
    expect(VersionLifecycleSchema.parse(bare)).toEqual(bare);
    for (const key of Object.keys(bare))
      expect([key, ok(VersionLifecycleSchema, without(bare, key))]).toEqual([key, false]);
    expect(ok(VersionLifecycleSchema, { ...bare, status: 'Draft' })).toBe(false);
    expect(ok(VersionLifecycleSchema, { ...bare, version: 1.5 })).toBe(false);
  });

  it('an approval parses to itself, with or without a version it replaces', () => {
    const approval = { lifecycle, replaces: 2, diff: { from: 2, to: 3, path: '/v1/diff' } };
    expect(ApprovalSchema.parse(approval)).toEqual(approval);
    expect(ApprovalSchema.parse({ lifecycle, replaces: null, diff: null })).toEqual({
      lifecycle,
      replaces: null,
      diff: null,
    });
    expect(ok(ApprovalSchema, { ...approval, diff: { from: 2, to: 3 } })).toBe(false);
    expect(ok(ApprovalSchema, { replaces: null, diff: null })).toBe(false);
  });

  it('a release parses to itself, in a list too, and needs every field but halt', () => {
    expect(ReleaseSchema.parse(release)).toEqual(release);
    expect(ReleaseListSchema.parse({ items: [release] })).toEqual({ items: [release] });
    expect(ok(ReleaseListSchema, {})).toBe(false);
    expect(ReleaseSchema.parse(without(release, 'halt'))).toEqual(without(release, 'halt'));
    for (const key of Object.keys(without(release, 'halt')))
      expect([key, ok(ReleaseSchema, without(release, key))]).toEqual([key, false]);
    for (const key of Object.keys(release.counts))
      expect([key, ok(ReleaseSchema, { ...release, counts: without(release.counts, key) })]).toEqual([
        key,
        false,
      ]);
    expect(ok(ReleaseSchema, { ...release, state: 'STOPPED' })).toBe(false);
  });

  it('what an office may run parses to itself', () => {
    const runnable = {
      encodingId: 'enc-1',
      office: 'berlin',
      versions: [3],
      releaseId: 'r-1',
      releaseState: 'ACTIVE',
    };
    expect(RunnableSchema.parse(runnable)).toEqual(runnable);
    expect(RunnableSchema.parse({ encodingId: 'enc-1', office: 'berlin', versions: [] })).toEqual({
      encodingId: 'enc-1',
      office: 'berlin',
      versions: [],
    });
    expect(ok(RunnableSchema, { ...runnable, releaseState: 'PAUSED' })).toBe(false);
  });
});
