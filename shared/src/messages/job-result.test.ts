import { describe, expect, it } from 'vitest';
import {
  ApduTraceSchema,
  ApplicationResultSchema,
  CardIdentitySchema,
  cardSerialOf,
  JobResultSchema,
  LicenseStatusSchema,
  parseJobResult,
} from './job-result';

/*
 * A job's result (docs/messaging.md): each schema at its limits, and the serial a card
 * is filed under.
 */
const trace = { line: 1, command: '00A4040000', sw: '9000', meaning: 'OK', responseLength: 0, durationMs: 0 };
const license = {
  licensePresent: true,
  serialValid: true,
  dateValid: true,
  startDate: '20260101',
  endDate: '20271231',
  acceptable: true,
};
const application = {
  name: 'Application_1',
  kind: 'apdu',
  status: 'FAILED',
  responseCodes: '9000',
  outputs: { SERIAL: '42' },
  apdus: [trace],
  steps: [{ step: 'login', status: 'DONE', detail: 'd' }],
  failure: { code: 'APDU_FAILED', message: 'm', line: 2, sw: '6A82' },
  license: { ...license, batchCardCredit: 0 },
};
const card = {
  reader: 'Virtual PCD 00 00',
  atr: '3B8F',
  cardNames: ['IDPrime'],
  tokenModel: 'm',
  tokenSerial: 't',
  serial: '42',
  serialSource: 'pkcs11-token' as const,
};
const result = {
  jobId: 'job-1',
  attempt: 1,
  agentId: 'agent-1',
  status: 'REJECTED',
  startedAt: '2026-11-29T12:00:00.000Z',
  finishedAt: '2026-11-29T12:00:01.000Z',
  card,
  applications: [application],
  error: { code: 'E', message: 'm' },
  rejection: { reason: 'ENVELOPE_EXPIRED', envelopeSha256: 'ab'.repeat(32) },
};

const takes = (schema: { safeParse: (v: unknown) => { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('job results', () => {
  it('parse to themselves with every member, and with only the required ones', () => {
    expect(parseJobResult(result)).toEqual(result);
    const minimal = {
      jobId: 'j',
      attempt: 1,
      agentId: 'a',
      status: 'SUCCEEDED',
      finishedAt: result.finishedAt,
      applications: [],
    };
    expect(parseJobResult(minimal)).toEqual(minimal);
  });

  it('refuse a result off its schema with RESULT_INVALID', () => {
    for (const bad of [
      { ...result, attempt: 0 },
      { ...result, status: 'DONE' },
      { ...result, finishedAt: 'now' },
      { ...result, startedAt: 'then' },
      { ...result, rejection: { reason: 'r', envelopeSha256: 'AB'.repeat(32) } },
      { ...result, rejection: { reason: 'r', envelopeSha256: 'ab'.repeat(31) } },
      { ...result, rejection: { reason: 'r', envelopeSha256: `${'ab'.repeat(32)}0` } },
      { ...result, rejection: { reason: 'r', envelopeSha256: `x${'ab'.repeat(32)}` } },
    ])
      expect(() => parseJobResult(bad)).toThrow(
        expect.objectContaining({
          code: 'RESULT_INVALID',
          message: 'the result does not match the result schema',
        }),
      );
    expect(() => parseJobResult({ ...result, attempt: 0 })).toThrow(
      expect.objectContaining({ details: { issues: [expect.objectContaining({ path: ['attempt'] })] } }),
    );
  });

  it('take each agent result status', () => {
    for (const status of ['SUCCEEDED', 'FAILED', 'REJECTED', 'INTERRUPTED'])
      expect(takes(JobResultSchema, { ...result, status }), status).toBe(true);
  });
});

describe('APDU traces', () => {
  it('take hex bytes or ** (a masked secret byte) as the command, and a 4-digit status word', () => {
    expect(ApduTraceSchema.parse(trace)).toEqual(trace);
    for (const command of ['', '00', '00**A4', '****'])
      expect(takes(ApduTraceSchema, { ...trace, command }), command).toBe(true);
    for (const command of ['0', '00a4', '*', '00 A4', ' 00', '00 ', 'GG'])
      expect(takes(ApduTraceSchema, { ...trace, command }), command).toBe(false);
    for (const sw of ['90000', '900', '90o0', '9000 ', ' 9000', '6a82'])
      expect(takes(ApduTraceSchema, { ...trace, sw }), sw).toBe(false);
  });

  it('number lines from 1 and count lengths and durations from 0', () => {
    expect(takes(ApduTraceSchema, { ...trace, line: 0 })).toBe(false);
    expect(takes(ApduTraceSchema, { ...trace, line: 1.5 })).toBe(false);
    expect(takes(ApduTraceSchema, { ...trace, responseLength: -1 })).toBe(false);
    expect(takes(ApduTraceSchema, { ...trace, responseLength: 0.5 })).toBe(false);
    expect(takes(ApduTraceSchema, { ...trace, durationMs: -0.1 })).toBe(false);
    expect(takes(ApduTraceSchema, { ...trace, durationMs: 0.5 })).toBe(true);
  });
});

describe('application results', () => {
  it('parse with steps, a failure and a license, and without them', () => {
    expect(ApplicationResultSchema.parse(application)).toEqual(application);
    const { responseCodes: _r, steps: _s, failure: _f, license: _l, ...minimal } = application;
    expect(ApplicationResultSchema.parse(minimal)).toEqual(minimal);
  });

  it('refuse an unknown kind, status or step status, and a bad line, credit or date', () => {
    for (const bad of [
      { kind: 'java' },
      { status: 'DONE' },
      { steps: [{ step: 's', status: 'SUCCEEDED' }] },
      { failure: { code: 'c', message: 'm', line: 0 } },
      { license: { ...license, batchCardCredit: -1 } },
      { license: { ...license, startDate: '2026010' } },
      { license: { ...license, endDate: '202712310' } },
      { license: { ...license, endDate: '2027-1-1' } },
    ])
      expect(takes(ApplicationResultSchema, { ...application, ...bad }), JSON.stringify(bad)).toBe(false);
    for (const kind of ['pkcs11', 'license'])
      expect(takes(ApplicationResultSchema, { ...application, kind })).toBe(true);
    for (const status of ['SUCCEEDED', 'SKIPPED'])
      expect(takes(ApplicationResultSchema, { ...application, status })).toBe(true);
    expect(takes(LicenseStatusSchema, license)).toBe(true);
  });
});

describe('the card a result names', () => {
  it('takes an upper-case hex ATR and a serial of 1 to 128 characters from a known source', () => {
    expect(CardIdentitySchema.parse(card)).toEqual(card);
    for (const change of [
      { atr: '' },
      { serial: 's' },
      { serial: 's'.repeat(128) },
      { serialSource: 'none' },
    ])
      expect(takes(CardIdentitySchema, { ...card, ...change }), JSON.stringify(change)).toBe(true);
    for (const change of [
      { atr: '3b' },
      { atr: ' 3B' },
      { serial: '' },
      { serial: 's'.repeat(129) },
      { serialSource: 'guess' },
    ])
      expect(takes(CardIdentitySchema, { ...card, ...change }), JSON.stringify(change)).toBe(false);
  });

  it("is filed under its serial, else its token's serial, trimmed, and under none when blank", () => {
    expect(cardSerialOf(undefined)).toBeUndefined();
    expect(cardSerialOf({ ...card, serial: ' 42 ', tokenSerial: 't' })).toBe('42');
    const { serial: _s, ...tokenOnly } = card;
    expect(cardSerialOf({ ...tokenOnly, tokenSerial: '\tT-7 ' })).toBe('T-7');
    const { tokenSerial: _t, ...neither } = tokenOnly;
    expect(cardSerialOf(neither)).toBeUndefined();
    expect(cardSerialOf({ ...neither, tokenSerial: '   ' })).toBeUndefined();
    expect(cardSerialOf({ ...card, serial: '  ', tokenSerial: 't' })).toBeUndefined();
  });
});
