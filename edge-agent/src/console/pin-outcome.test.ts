import type { JobResult } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { jobOutcome, outcomeMessage } from './pin-outcome';

function result(status: JobResult['status'], failure?: { code: string; sw?: string }): JobResult {
  return {
    jobId: 'job-1',
    attempt: 1,
    agentId: 'agent-1',
    status,
    finishedAt: '2027-01-15T08:00:00.000Z',
    applications: [
      {
        name: 'Personalise',
        kind: 'apdu',
        status: failure ? 'FAILED' : 'SUCCEEDED',
        outputs: {},
        apdus: [],
        ...(failure ? { failure: { ...failure, message: 'the card answered' } } : {}),
      },
    ],
  };
}

describe('what became of the PINs a job was given', () => {
  it('says the card refused them for 63Cx, 6983 and the PKCS#11 PIN codes', () => {
    expect(jobOutcome(result('FAILED', { code: 'CARD_STATUS', sw: '63C2' }))).toEqual({
      outcome: 'card-refused',
      detail: '63C2',
    });
    expect(jobOutcome(result('FAILED', { code: 'CARD_STATUS', sw: '6983' })).outcome).toBe('card-refused');
    for (const code of ['PIN_INCORRECT', 'PIN_LOCKED', 'PIN_LENGTH', 'PIN_INVALID'])
      expect(jobOutcome(result('FAILED', { code })), code).toEqual({ outcome: 'card-refused', detail: code });
  });

  it('tells another failure from a refusal, and a success from both', () => {
    expect(jobOutcome(result('FAILED', { code: 'CARD_STATUS', sw: '6A82' }))).toEqual({
      outcome: 'job-failed',
      detail: 'CARD_STATUS',
    });
    expect(jobOutcome({ ...result('FAILED'), error: { code: 'CARD_LOST', message: 'gone' } })).toEqual({
      outcome: 'job-failed',
      detail: 'CARD_LOST',
    });
    expect(jobOutcome(result('SUCCEEDED'))).toEqual({ outcome: 'job-done' });
  });

  it('says each outcome in a sentence naming the reader, never a PIN', () => {
    const reader = 'Reader 0';
    expect(outcomeMessage({ outcome: 'sent', reader })).toBe(
      'Sent. The PIN went straight to the card in Reader 0; it was not stored or sent to the cloud. The job continues — you can follow it in the console.',
    );
    expect(outcomeMessage({ outcome: 'card-refused', reader, detail: '63C2' })).toBe(
      'The card in Reader 0 refused the PIN (63C2). The job stopped; you can follow it in the console.',
    );
    expect(outcomeMessage({ outcome: 'job-done' })).toBe('Done. The card took the PIN and the job finished.');
    expect(outcomeMessage({ outcome: 'job-failed', detail: 'CARD_LOST' })).toContain('(CARD_LOST)');
    expect(outcomeMessage({ outcome: 'expired' })).toContain('PIN_TIMEOUT; nothing was sent to the card');
    expect(outcomeMessage({ outcome: 'cancelled' })).toContain('PIN_CANCELLED; nothing was sent to the card');
  });
});
