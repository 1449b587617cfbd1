import { describe, expect, it } from 'vitest';
import { type JobClaims, JobClaimsSchema } from './job-claims';

/**
 * Bad inputs to the job claims schema (shared/src/messages/job-claims.ts,
 * docs/messaging.md "Job envelope"): what a forged or broken envelope may not carry.
 * The fixture is a literal and every parse happens inside a test, so that a broken
 * schema fails a test rather than this file's import (docs/mutation-testing.md).
 */
const NOW = 1_800_000_000;
const claims: JobClaims = {
  iss: 'cardfleet-cloud',
  aud: 'agent-berlin-1',
  iat: NOW,
  nbf: NOW - 5,
  exp: NOW + 300,
  jti: 'job-1:1',
  seq: 7,
  job: {
    id: 'job-1',
    attempt: 1,
    office: 'berlin',
    encoding: { id: 'read-version', version: 1, sha256: 'a'.repeat(64) },
    bundle: [{ name: 'encoding.ini', base64: '' }],
    fields: {},
    secretFields: [],
    requestId: 'req-1',
  },
};

const parses = (change: (c: JobClaims) => unknown) =>
  JobClaimsSchema.safeParse(change(structuredClone(claims))).success;
const withRequestId = (requestId: string) => parses((c) => ({ ...c, job: { ...c.job, requestId } }));

describe('job claims attacks', () => {
  it('takes well-formed claims, with the shortest and longest identifiers and digests', () => {
    expect(parses((c) => c)).toBe(true);
    expect(parses((c) => ({ ...c, aud: 'a' }))).toBe(true);
    expect(parses((c) => ({ ...c, aud: `a${'.:_-'.repeat(31)}a2_` }))).toBe(true);
    expect(parses((c) => ({ ...c, iss: 'c' }))).toBe(true);
    expect(
      parses((c) => ({
        ...c,
        job: { ...c.job, encoding: { ...c.job.encoding, sha256: '0123456789abcdef'.repeat(4) } },
      })),
    ).toBe(true);
    expect(parses((c) => ({ ...c, job: { ...c.job, bundle: [{ name: '.', base64: '' }] } }))).toBe(true);
  });

  it('takes a request id of the API call and refuses one that could forge a log line', () => {
    for (const requestId of ['a', 'A1', `r${'._:-9'.repeat(25)}xy`, `r${'x'.repeat(127)}`])
      expect(withRequestId(requestId), requestId).toBe(true);
    for (const requestId of [
      '',
      '-req',
      '.req',
      'req\nINFO forged',
      'x req',
      'req x',
      'req/1',
      `r${'x'.repeat(128)}`,
    ])
      expect(withRequestId(requestId), JSON.stringify(requestId)).toBe(false);
  });

  it('takes claims without a request id (an older cloud sends none)', () => {
    const { requestId: _dropped, ...job } = claims.job;
    expect(parses((c) => ({ ...c, job }))).toBe(true);
  });
});

describe('job claims attacks: the dry-run flag', () => {
  it('takes a dry run only as the literal true (a "false" or 1 could be read as a dry run by a loose reader)', () => {
    expect(parses((c) => ({ ...c, job: { ...c.job, dryRun: true } }))).toBe(true);
    for (const dryRun of [false, 'true', 1, null, {}])
      expect(
        parses((c) => ({ ...c, job: { ...c.job, dryRun } })),
        JSON.stringify(dryRun),
      ).toBe(false);
  });

  it('keeps a job without the flag a job for the reader (no default turns it into a dry run)', () => {
    const parsed = JobClaimsSchema.parse(structuredClone(claims));
    expect(parsed.job.dryRun).toBeUndefined();
    expect('dryRun' in parsed.job).toBe(false);
  });
});
