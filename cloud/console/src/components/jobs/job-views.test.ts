import { describe, expect, it } from 'vitest';
import type { JobFieldSpec } from '../../api/job-form-api';
import type { ApplicationResult, JobDetail } from '../../api/jobs-api';
import { checkFields, fieldHint } from './job-fields-form';
import { liveAnnouncement } from './job-progress';
import { responseCodeMeanings } from './job-result-view';

const hexKey: JobFieldSpec = {
  name: 'KEY',
  secret: true,
  required: true,
  format: 'hex',
  bytes: 2,
  pattern: '^(?:(?:\\s*[0-9A-Fa-f]\\s*[0-9A-Fa-f]){2}\\s*)$',
  uses: ['APDU script a.apdu line 3: DYN data'],
  description: 'Used in APDU script a.apdu line 3: DYN data',
};
const label: JobFieldSpec = {
  name: 'LABEL',
  secret: false,
  required: false,
  format: 'text',
  pattern: '^(?:[\\s\\S]*)$',
  uses: ['APDU script a.apdu line 2: PIN description'],
  description: 'Used in APDU script a.apdu line 2: PIN description',
};

describe('the job form', () => {
  it('sends hex without spaces, in upper case, once it fits the rule', () => {
    expect(checkFields([hexKey, label], { KEY: '3f 0a' })).toEqual({ fields: { KEY: '3F0A' }, errors: {} });
  });

  it('names what a field expects, never the value typed', () => {
    const { fields, errors } = checkFields([hexKey], { KEY: '3f0a99' });
    expect(fields).toEqual({});
    expect(errors.KEY).toBe('The value does not fit: expected hex digits in pairs, exactly 2 bytes.');
    expect(errors.KEY).not.toContain('3f0a99');
  });

  it('asks for a required field and lets an optional one stay empty', () => {
    expect(checkFields([hexKey, label], {}).errors).toEqual({
      KEY: 'Enter a value: this field is required.',
    });
  });

  it('says in the hint where the field is used, what it expects, and that it is secret', () => {
    expect(fieldHint(hexKey)).toBe(
      'Used in APDU script a.apdu line 3: DYN data. Expected: hex digits in pairs, exactly 2 bytes (spaces are removed). Secret: sent sealed to the agent, never shown again',
    );
    expect(fieldHint(label)).toMatch(/Optional$/);
  });
});

describe('the job page', () => {
  const app = (codes: string, apdus: { sw: string; meaning: string }[]): ApplicationResult => ({
    name: 'A',
    kind: 'apdu',
    status: 'SUCCEEDED',
    responseCodes: codes,
    outputs: {},
    apdus: apdus.map((a, i) => ({ line: i + 1, command: '00', responseLength: 0, durationMs: 1, ...a })),
  });

  it("gives each response code the agent's meaning when the trace lines up, else ISO 7816-4's", () => {
    expect(
      responseCodeMeanings(
        app('9000,6985', [
          { sw: '9000', meaning: 'ok' },
          { sw: '6985', meaning: 'no more credit' },
        ]),
      ),
    ).toEqual([
      { sw: '9000', meaning: 'ok' },
      { sw: '6985', meaning: 'no more credit' },
    ]);
    expect(responseCodeMeanings(app('63C2', []))).toEqual([
      { sw: '63C2', meaning: 'verification failed, 2 tries left' },
    ]);
  });

  it('announces the PIN wait with its reader, and only the state otherwise', () => {
    const progress = {
      attempt: 1,
      phase: 'waiting-for-pin',
      application: 'A',
      applicationIndex: 0,
      applicationCount: 1,
      apdusDone: 0,
      apdusTotal: 2,
      at: '2026-12-06T10:00:00.000Z',
      receivedAt: '2026-12-06T10:00:00.000Z',
    };
    const job = { state: 'IN_PROGRESS', attempt: 1, reader: 'Reader 0', progress } as JobDetail;
    expect(liveAnnouncement(job)).toBe('Job in progress: waiting for PIN at the station (reader Reader 0).');
    expect(liveAnnouncement({ ...job, progress: { ...progress, phase: 'running', apdusDone: 1 } })).toBe(
      'Job in progress.',
    );
    // Progress of an earlier attempt says nothing of this one.
    expect(liveAnnouncement({ ...job, attempt: 2 })).toBe('Job in progress.');
  });
});
