import { describe, expect, it } from 'vitest';
import { buildAcknowledgement, parseAcknowledgement } from './acknowledgement';

describe('result acknowledgements', () => {
  it('are written in the version of the result they acknowledge', () => {
    expect(JSON.stringify(buildAcknowledgement({ jobId: 'job-1', attempt: 2 }, 2))).toBe(
      '{"v":2,"jobId":"job-1","attempt":2}',
    );
    expect(JSON.stringify(buildAcknowledgement({ jobId: 'job-1', attempt: 2 }, 1))).toBe(
      '{"jobId":"job-1","attempt":2}',
    );
  });

  it('are read in either version; a newer or malformed one is refused', () => {
    expect(parseAcknowledgement('{"v":2,"jobId":"job-1","attempt":2}')).toEqual({
      jobId: 'job-1',
      attempt: 2,
    });
    expect(parseAcknowledgement('{"jobId":"job-1","attempt":2}')).toEqual({ jobId: 'job-1', attempt: 2 });
    expect(() => parseAcknowledgement('{"v":4,"jobId":"job-1","attempt":2}')).toThrow(
      expect.objectContaining({ code: 'ACK_UNSUPPORTED_VERSION' }),
    );
    expect(() => parseAcknowledgement('{"jobId":"job-1"}')).toThrow(
      expect.objectContaining({ code: 'ACK_INVALID' }),
    );
  });
});

describe('acknowledgement edges', () => {
  const refusal = (payload: string) => {
    try {
      parseAcknowledgement(payload);
    } catch (error) {
      const { code, message } = error as { code: string; message: string };
      return { code, message };
    }
    throw new Error('taken');
  };

  it('names only the execution, in the current version', () => {
    const execution = { jobId: 'job-1', attempt: 1, agentId: 'agent-1' };
    expect(buildAcknowledgement(execution, 3)).toEqual({ v: 3, jobId: 'job-1', attempt: 1 });
  });

  it('takes the shortest job id and the first attempt', () => {
    expect(parseAcknowledgement('{"v":3,"jobId":"j","attempt":1}')).toEqual({ jobId: 'j', attempt: 1 });
  });

  it('refuses text that is not JSON, an empty job id and an attempt that is not a positive integer', () => {
    expect(refusal('{"jobId":')).toEqual({ code: 'ACK_INVALID', message: 'the acknowledgement is not JSON' });
    const schema = { code: 'ACK_INVALID', message: 'the acknowledgement does not match its schema' };
    for (const payload of [
      '{"jobId":"","attempt":1}',
      '{"jobId":"j","attempt":0}',
      '{"jobId":"j","attempt":1.5}',
      '{"jobId":"j","attempt":"1"}',
      '{"attempt":1}',
      'null',
    ])
      expect(refusal(payload), payload).toEqual(schema);
  });
});
