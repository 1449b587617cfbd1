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
