import { describe, expect, it } from 'vitest';
import {
  AddAgentSchema,
  AgentAddedSchema,
  AgentListSchema,
  AgentRevokedSchema,
  AgentViewSchema,
  AuditQuerySchema,
  CreateJobSchema,
  DiffHunkSchema,
  EncodingDiffQuerySchema,
  EncodingDiffSchema,
  EncodingListSchema,
  EncodingPushedSchema,
  EncodingVersionViewSchema,
  EnrolAgentSchema,
  ErrorBodySchema,
  ID_PATTERN,
  IdentityViewSchema,
  JobDetailSchema,
  JobListQuerySchema,
  JobListSchema,
  JobMovedSchema,
  JobViewSchema,
  PushEncodingSchema,
} from './api-schemas';
import { expectField, MISSING } from './schema-fields.test-support';

/*
 * The API's request and response schemas (docs/cloud.md): one good value parses to
 * itself, and each constraint is tried at its boundary from both sides, one field off
 * at a time (docs/mutation-testing.md, static mutants). Fixtures are literals, parsed
 * inside the tests.
 */

const id64 = `a${'b'.repeat(63)}`;

describe('the id pattern of encodings, agents and offices', () => {
  it('takes 1 to 64 letters, digits, _ . - starting with a letter or digit', () => {
    for (const id of ['a', 'Z', '0', '9', 'a_b.c-d', 'A-', id64]) expect(ID_PATTERN.test(id), id).toBe(true);
  });

  it('refuses an empty, a 65-character, a badly started id and junk before or after', () => {
    for (const id of ['', `${id64}c`, '_a', '.a', '-a', ' a', 'a ', 'a/b', '/a', 'a\n', 'é'])
      expect(ID_PATTERN.test(id), JSON.stringify(id)).toBe(false);
  });
});

describe('request bodies', () => {
  it('pushes an encoding with at least one named file', () => {
    const push = { id: 'write-ef', files: [{ name: 'encoding.xml', base64: 'PGE+' }] };
    expect(PushEncodingSchema.parse(push)).toEqual(push);
    expectField(PushEncodingSchema, push, ['id'], { good: [id64], bad: ['', `${id64}c`, ' x', 'x ', 7] });
    expectField(PushEncodingSchema, push, ['files'], {
      good: [[push.files[0], push.files[0]]],
      bad: [[], MISSING],
    });
    expectField(PushEncodingSchema, push, ['files', 0, 'name'], {
      good: ['a', 'n'.repeat(128)],
      bad: ['', 'n'.repeat(129), MISSING],
    });
    expectField(PushEncodingSchema, push, ['files', 0, 'base64'], { good: [''], bad: [MISSING, 1] });
  });

  it("adds an agent under an id the broker takes, never one of the cloud's own", () => {
    const agent = { id: 'agent-1', office: 'berlin', enrolmentCodeSeconds: 3600 };
    expect(AddAgentSchema.parse(agent)).toEqual(agent);
    expectField(AddAgentSchema, agent, ['id'], {
      good: [id64, 'cardfleet', 'my-cardfleet-1'],
      bad: ['', `${id64}c`, '-a', 'a b', 'cardfleet-cloud-publish', 'cardfleet-x', MISSING],
    });
    expectField(AddAgentSchema, agent, ['office'], {
      good: [id64],
      bad: ['', `${id64}c`, '_b', 'b!', MISSING],
    });
    expectField(AddAgentSchema, agent, ['enrolmentCodeSeconds'], {
      good: [60, 30 * 24 * 3600, MISSING],
      bad: [59, 30 * 24 * 3600 + 1, 60.5, '3600'],
    });
  });

  it('enrols an agent with a code of 1 to 128 characters', () => {
    const enrol = { code: 'c0de', publicJwk: { kty: 'EC' } };
    expect(EnrolAgentSchema.parse(enrol)).toEqual(enrol);
    expectField(EnrolAgentSchema, enrol, ['code'], {
      good: ['c', 'c'.repeat(128)],
      bad: ['', 'c'.repeat(129), MISSING],
    });
  });

  it('creates a job with its fields defaulting to none', () => {
    const job = {
      agentId: 'agent-1',
      encodingId: 'write-ef',
      version: 2,
      fields: { HELLO: 'world' },
      reader: 'Virtual PCD 00 00',
      dryRun: true,
    };
    expect(CreateJobSchema.parse(job)).toEqual(job);
    expect(CreateJobSchema.parse({ agentId: 'a', encodingId: 'e' })).toEqual({
      agentId: 'a',
      encodingId: 'e',
      fields: {},
    });
    expectField(CreateJobSchema, job, ['agentId'], { good: ['a'], bad: ['', MISSING] });
    expectField(CreateJobSchema, job, ['encodingId'], { good: ['e'], bad: ['', MISSING] });
    expectField(CreateJobSchema, job, ['version'], { good: [1, MISSING], bad: [0, -1, 1.5] });
    expectField(CreateJobSchema, job, ['fields'], { good: [{}], bad: [{ A: 1 }, ['x']] });
    expectField(CreateJobSchema, job, ['reader'], { good: ['r', MISSING], bad: [''] });
    expectField(CreateJobSchema, job, ['dryRun'], { good: [false, MISSING], bad: ['true'] });
  });
});

describe('query strings', () => {
  it('lists jobs 100 at a time by default, at most 500, filtered by a known state', () => {
    expect(JobListQuerySchema.parse({})).toEqual({ limit: 100 });
    const query = {
      office: 'berlin',
      agentId: 'a',
      state: 'QUEUED',
      cardSerial: '42',
      cursor: 'c',
      limit: 7,
    };
    expect(JobListQuerySchema.parse(query)).toEqual(query);
    expect(JobListQuerySchema.parse({ limit: '500' })).toEqual({ limit: 500 });
    expect(JobListQuerySchema.parse({ limit: '1' })).toEqual({ limit: 1 });
    for (const limit of ['0', '501', '1.5', '-1', 'x'])
      expect(JobListQuerySchema.safeParse({ limit }).success, limit).toBe(false);
    expectField(JobListQuerySchema, query, ['state'], {
      good: ['SUCCEEDED', MISSING],
      bad: ['queued', 'DONE'],
    });
    expectField(JobListQuerySchema, query, ['cursor'], { good: ['c'.repeat(2048)], bad: ['c'.repeat(2049)] });
  });

  it('lists audit entries from cursor 0, 100 at a time, at most 1000, as JSON unless CSV is asked for', () => {
    expect(AuditQuerySchema.parse({})).toEqual({ cursor: 0, limit: 100, format: 'json' });
    const query = {
      office: 'berlin',
      agentId: 'a',
      cardSerial: '42',
      from: '2026-01-01',
      to: '2026-02-01',
      cursor: 5,
      limit: 1000,
      format: 'csv',
    };
    expect(AuditQuerySchema.parse(query)).toEqual(query);
    expect(AuditQuerySchema.parse({ cursor: '0', limit: '1' })).toEqual({
      cursor: 0,
      limit: 1,
      format: 'json',
    });
    for (const bad of [
      { cursor: '-1' },
      { cursor: '1.5' },
      { limit: '0' },
      { limit: '1001' },
      { format: 'xml' },
    ])
      expect(AuditQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('compares two positive versions', () => {
    expect(EncodingDiffQuerySchema.parse({ from: '1', to: '2' })).toEqual({ from: 1, to: 2 });
    for (const bad of [
      { from: '0', to: '2' },
      { from: '1', to: '0' },
      { from: '1.5', to: '2' },
      { from: '1' },
    ])
      expect(EncodingDiffQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('response bodies', () => {
  it('answers an error with its code, message and details', () => {
    const body = { error: { code: 'NOT_FOUND', message: 'no such job', details: { jobId: 'j' } } };
    expect(ErrorBodySchema.parse(body)).toEqual(body);
    expectField(ErrorBodySchema, body, ['error', 'details'], { good: [{}], bad: [MISSING, 'x'] });
    expectField(ErrorBodySchema, body, ['error', 'code'], { bad: [MISSING] });
    expectField(ErrorBodySchema, body, ['error', 'message'], { bad: [MISSING] });
  });

  it('names a pushed encoding and the encodings by positive versions', () => {
    const pushed = { id: 'e', version: 1, sha256: 'ab' };
    expect(EncodingPushedSchema.parse(pushed)).toEqual(pushed);
    expectField(EncodingPushedSchema, pushed, ['version'], { bad: [0, 1.5] });
    const list = { items: [{ id: 'e', latestVersion: 1, sha256: 'ab', updatedAt: 't' }] };
    expect(EncodingListSchema.parse(list)).toEqual(list);
    expectField(EncodingListSchema, list, ['items', 0, 'latestVersion'], { bad: [0, 2.5] });
    expectField(EncodingListSchema, list, ['items', 0, 'updatedAt'], { bad: [MISSING] });
  });

  it('shows an encoding version with its fields, files and release control', () => {
    const view = {
      id: 'e',
      version: 3,
      sha256: 'ab',
      createdAt: 't',
      createdBy: 'otto',
      applications: [{ name: 'Application_1', kind: 'apdu' }],
      secretFields: ['PUK'],
      fields: [
        {
          name: 'PUK',
          secret: true,
          required: true,
          format: 'decimal',
          pattern: '^[0-9]+$',
          uses: ['line 1'],
          description: 'the PUK',
        },
      ],
      bundleBytes: 0,
      files: [{ name: 'encoding.xml', text: '<a/>' }],
      managed: false,
    };
    expect(EncodingVersionViewSchema.parse(view)).toEqual(view);
    expectField(EncodingVersionViewSchema, view, ['version'], { good: [1], bad: [0] });
    expectField(EncodingVersionViewSchema, view, ['bundleBytes'], { good: [1], bad: [-1, 0.5] });
    expectField(EncodingVersionViewSchema, view, ['managed'], { good: [true], bad: [MISSING] });
    expectField(EncodingVersionViewSchema, view, ['fields', 0, 'format'], { bad: ['binary'] });
  });

  it('shows a diff of two redacted versions, hunk by hunk', () => {
    const hunk = { fromStart: 0, fromLines: 0, toStart: 1, toLines: 2, lines: ['+a', '+b'] };
    expect(DiffHunkSchema.parse(hunk)).toEqual(hunk);
    for (const key of ['fromStart', 'fromLines', 'toStart', 'toLines'])
      expectField(DiffHunkSchema, hunk, [key], { good: [0], bad: [-1, 0.5, MISSING] });
    const diff = {
      id: 'e',
      from: 1,
      to: 2,
      redacted: true,
      files: [{ name: 'a.apdu', change: 'added', unified: '+a\n+b\n', hunks: [hunk] }],
      diff: '+a\n+b\n',
    };
    expect(EncodingDiffSchema.parse(diff)).toEqual(diff);
    expectField(EncodingDiffSchema, diff, ['from'], { good: [1], bad: [0] });
    expectField(EncodingDiffSchema, diff, ['to'], { good: [1], bad: [0] });
    expectField(EncodingDiffSchema, diff, ['redacted'], { bad: [false, MISSING] });
    expectField(EncodingDiffSchema, diff, ['files', 0, 'change'], {
      good: ['removed', 'changed'],
      bad: ['renamed', 'Added'],
    });
    expectField(EncodingDiffSchema, diff, ['files', 0, 'hunks', 0, 'toLines'], { bad: [-1] });
  });
});

describe('jobs as the API shows them', () => {
  const job = {
    jobId: 'job-1',
    agentId: 'agent-1',
    office: 'berlin',
    encoding: { id: 'e', version: 1, sha256: 'ab' },
    reader: 'Virtual PCD 00 00',
    dryRun: true,
    fields: { HELLO: 'world' },
    secretFields: ['PUK'],
    state: 'IN_PROGRESS',
    attempt: 1,
    history: [{ state: 'QUEUED', at: 't', by: 'otto' }],
    createdAt: 't',
    createdBy: 'otto',
    requestId: 'req-1',
    reason: 'AGENT_REVOKED',
    cancel: { attempt: 1, requestedAt: 't', by: 'otto', sentAt: 't' },
    progress: {
      attempt: 1,
      application: 'Application_1',
      applicationIndex: 0,
      applicationCount: 1,
      apdusDone: 0,
      apdusTotal: 4,
      phase: 'running',
      seq: 1,
      at: '2026-11-29T12:00:00.000Z',
      receivedAt: '2026-11-29T12:00:01.000Z',
    },
  };

  it('parses a job with every member to itself, and one with only the required ones', () => {
    expect(JobViewSchema.parse(job)).toEqual(job);
    const {
      reader: _r,
      dryRun: _d,
      requestId: _q,
      reason: _s,
      cancel: _c,
      progress: _p,
      ...required
    } = structuredClone(job);
    expect(JobViewSchema.parse(required)).toEqual(required);
  });

  it('refuses a job with a dry run other than true, an unknown state or a non-positive attempt', () => {
    expectField(JobViewSchema, job, ['dryRun'], { bad: [false] });
    expectField(JobViewSchema, job, ['state'], { good: ['CANCELED'], bad: ['RUNNING', 'queued'] });
    expectField(JobViewSchema, job, ['attempt'], { good: [2], bad: [0, 1.5] });
    expectField(JobViewSchema, job, ['encoding', 'version'], { bad: [0] });
    expectField(JobViewSchema, job, ['history', 0, 'state'], { bad: ['DONE'] });
    expectField(JobViewSchema, job, ['cancel', 'attempt'], { bad: [0] });
    expectField(JobViewSchema, job, ['cancel', 'sentAt'], { good: [MISSING] });
    expectField(JobViewSchema, job, ['progress', 'phase'], { good: ['waiting-for-pin'], bad: [MISSING] });
    expectField(JobViewSchema, job, ['fields', 'HELLO'], { bad: [1] });
  });

  it('details a job with the result of its attempt, and lists jobs with a cursor', () => {
    const result = {
      jobId: 'job-1',
      attempt: 1,
      agentId: 'agent-1',
      status: 'SUCCEEDED',
      finishedAt: '2026-11-29T12:00:02.000Z',
      applications: [],
    };
    const detail = { ...job, result };
    expect(JobDetailSchema.parse(detail)).toEqual(detail);
    expect(JobDetailSchema.parse(job)).toEqual(job);
    expectField(JobDetailSchema, detail, ['result', 'status'], { bad: ['DONE'] });
    const list = { items: [job], nextCursor: 'n' };
    expect(JobListSchema.parse(list)).toEqual(list);
    expectField(JobListSchema, list, ['nextCursor'], { good: [MISSING], bad: [1] });
    expectField(JobListSchema, list, ['items', 0, 'state'], { bad: ['x'] });
  });

  it('tells where a job now stands after a move', () => {
    const moved = { jobId: 'job-1', state: 'SENT', attempt: 2, cancelRequested: true };
    expect(JobMovedSchema.parse(moved)).toEqual(moved);
    expectField(JobMovedSchema, moved, ['attempt'], { good: [1, MISSING], bad: [0] });
    expectField(JobMovedSchema, moved, ['cancelRequested'], { good: [MISSING], bad: [false] });
    expectField(JobMovedSchema, moved, ['state'], { bad: ['MOVED'] });
  });
});

describe('agents and the caller as the API shows them', () => {
  const agent = {
    id: 'agent-1',
    office: 'berlin',
    state: 'ACTIVE',
    createdAt: 't',
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
    presence: { status: 'online', at: 't', readers: [] },
    lastSeen: 't',
  };

  it('shows an agent in one of its three states with its P-256 key', () => {
    expect(AgentViewSchema.parse(agent)).toEqual(agent);
    expectField(AgentViewSchema, agent, ['state'], {
      good: ['PENDING', 'REVOKED'],
      bad: ['ONLINE', 'active'],
    });
    expectField(AgentViewSchema, agent, ['publicJwk'], { good: [MISSING] });
    expectField(AgentViewSchema, agent, ['publicJwk', 'kty'], { bad: ['RSA', MISSING] });
    expectField(AgentViewSchema, agent, ['publicJwk', 'crv'], { bad: ['P-384', MISSING] });
    expectField(AgentViewSchema, agent, ['presence', 'status'], { bad: ['away'] });
    expect(AgentListSchema.parse({ items: [agent] })).toEqual({ items: [agent] });
    expect(AgentListSchema.safeParse({ items: [{ ...agent, state: 'x' }] }).success).toBe(false);
  });

  it('adds an agent with its enrolment code, and revokes one with the jobs that ended', () => {
    const added = { ...agent, enrolmentCode: 'code', enrolmentCodeExpiresAt: 't' };
    expect(AgentAddedSchema.parse(added)).toEqual(added);
    expectField(AgentAddedSchema, added, ['enrolmentCode'], { bad: [MISSING] });
    expectField(AgentAddedSchema, added, ['state'], { bad: ['x'] });
    const revoked = { ...agent, state: 'REVOKED', endedJobs: ['job-1'] };
    expect(AgentRevokedSchema.parse(revoked)).toEqual(revoked);
    expectField(AgentRevokedSchema, revoked, ['endedJobs'], { good: [[]], bad: [MISSING, [1]] });
  });

  it('names the caller by subject, one of four roles and maybe an office', () => {
    const me = { sub: 'otto', role: 'operator', office: 'berlin' };
    expect(IdentityViewSchema.parse(me)).toEqual(me);
    expectField(IdentityViewSchema, me, ['role'], {
      good: ['admin', 'auditor', 'agent'],
      bad: ['root', 'Admin', MISSING],
    });
    expectField(IdentityViewSchema, me, ['office'], { good: [MISSING] });
  });
});
