import type { ApplicationResult, JobResult } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { endsCancelled, recordsCancel } from './cancel-rule';

const app = (overrides: Partial<ApplicationResult> = {}): ApplicationResult => ({
  name: 'A',
  kind: 'apdu',
  status: 'FAILED',
  outputs: {},
  apdus: [],
  ...overrides,
});
const trace = { line: 1, command: '00A4040000', sw: '9000', meaning: 'OK', responseLength: 0, durationMs: 1 };

describe('the cancel rule', () => {
  it('records a cancel for an execution without a result, also one that has not arrived yet', () => {
    expect(recordsCancel(undefined)).toBe(true);
    expect(recordsCancel({})).toBe(true);
  });

  it('ignores a cancel for an execution that has its result', () => {
    expect(recordsCancel({ result: { status: 'SUCCEEDED' } as JobResult })).toBe(false);
  });

  it('ends a cancelled execution CANCELED before it starts', () => {
    expect(endsCancelled(true)).toBe(true);
    expect(endsCancelled(false)).toBe(false);
  });

  it('ends CANCELED a run that was cancelled while it waited for its PINs, untouched on the card', () => {
    const waited = [
      app({ failure: { code: 'PIN_CANCELLED', message: 'withdrawn' } }),
      app({ status: 'SKIPPED' }),
    ];
    expect(endsCancelled(true, waited)).toBe(true);
    expect(endsCancelled(false, waited)).toBe(false);
  });

  it('lets the real result stand once an APDU was sent or a token step was done', () => {
    expect(endsCancelled(true, [app({ apdus: [trace] })])).toBe(false);
    expect(
      endsCancelled(true, [app({ kind: 'pkcs11', steps: [{ step: 'InitToken', status: 'DONE' }] })]),
    ).toBe(false);
    expect(
      endsCancelled(true, [
        app({ kind: 'pkcs11', steps: [{ step: 'WriteCaCertificate', status: 'SKIPPED' }] }),
      ]),
    ).toBe(true);
  });
});
