import { describe, expect, it } from 'vitest';
import {
  buildProgressMessage,
  JobProgressSchema,
  PROGRESS_PHASES,
  type ProgressEvent,
  ProgressEventSchema,
  parseProgressMessage,
} from './progress';

const event: ProgressEvent = {
  jobId: 'job-1',
  attempt: 1,
  application: 'Application_1',
  applicationIndex: 0,
  applicationCount: 2,
  apdusDone: 3,
  apdusTotal: 9,
  at: '2026-11-29T12:00:00.000Z',
};

describe('progress messages', () => {
  it('are written in the current version and read back', () => {
    const message = buildProgressMessage(event);
    expect(JSON.parse(message)).toMatchObject({ v: 3 });
    expect(parseProgressMessage(message)).toEqual(event);
  });

  it('take the previous version and refuse a newer one or a malformed one', () => {
    expect(parseProgressMessage(buildProgressMessage(event, 1))).toEqual(event);
    expect(parseProgressMessage(JSON.stringify(event))).toEqual(event);
    expect(() => parseProgressMessage(JSON.stringify({ ...event, v: 4 }))).toThrow(
      expect.objectContaining({ code: 'PROGRESS_UNSUPPORTED_VERSION' }),
    );
    expect(() => parseProgressMessage(JSON.stringify({ ...event, apdusDone: -1 }))).toThrow(
      expect.objectContaining({ code: 'PROGRESS_INVALID' }),
    );
    expect(() => parseProgressMessage('{')).toThrow(expect.objectContaining({ code: 'PROGRESS_INVALID' }));
  });
});

describe('progress message phases', () => {
  it('carry the PIN wait and the event number, and read an event without them (an older agent)', () => {
    const waiting: ProgressEvent = { ...event, phase: 'waiting-for-pin', seq: 4 };
    expect(parseProgressMessage(buildProgressMessage(waiting))).toEqual(waiting);
    expect(parseProgressMessage(buildProgressMessage(event))).not.toHaveProperty('phase');
    expect(() => parseProgressMessage(JSON.stringify({ ...event, phase: 'typing-pin-1234' }))).toThrow(
      expect.objectContaining({ code: 'PROGRESS_INVALID' }),
    );
  });
});

describe('progress limits', () => {
  const takes = (change: Record<string, unknown>) =>
    ProgressEventSchema.safeParse({ ...event, ...change }).success;

  it('counts applications and APDUs from 0 and attempts, application counts and event numbers from 1', () => {
    for (const change of [
      { applicationIndex: 0 },
      { apdusDone: 0 },
      { apdusTotal: 0 },
      { attempt: 1 },
      { applicationCount: 1 },
      { seq: 1 },
      { phase: 'running' },
    ])
      expect(takes(change), JSON.stringify(change)).toBe(true);
    for (const change of [
      { applicationIndex: -1 },
      { apdusDone: 0.5 },
      { apdusTotal: -1 },
      { attempt: 0 },
      { applicationCount: 0 },
      { seq: 0 },
      { seq: 1.5 },
      { at: 'now' },
      { jobId: undefined },
      { application: 1 },
    ])
      expect(takes(change), JSON.stringify(change)).toBe(false);
  });

  it('keeps on a job the latest progress with its phase and the time the cloud took it in, without the job id', () => {
    const { jobId: _j, ...counts } = event;
    const kept = { ...counts, phase: 'running', receivedAt: '2026-11-29T12:00:01.000Z' };
    expect(JobProgressSchema.parse(kept)).toEqual(kept);
    expect(JobProgressSchema.parse({ ...kept, jobId: 'job-1' })).toEqual(kept);
    for (const change of [
      { phase: undefined },
      { phase: 'done' },
      { receivedAt: 'later' },
      { receivedAt: undefined },
    ])
      expect(JobProgressSchema.safeParse({ ...kept, ...change }).success, JSON.stringify(change)).toBe(false);
    expect(PROGRESS_PHASES).toEqual(['running', 'waiting-for-pin']);
  });
});
