import { describe, expect, it } from 'vitest';
import { buildProgressMessage, type ProgressEvent, parseProgressMessage } from './progress';

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
