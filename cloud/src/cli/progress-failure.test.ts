import { describe, expect, it } from 'vitest';
import { failureReasons, reasonLines } from './progress-failure';

describe('the reason a failed job prints', () => {
  it("keeps the agent's message when it names the line, the status word and its meaning", () => {
    expect(
      failureReasons({
        applications: [
          {
            name: 'SetPin',
            failure: {
              code: 'CARD_STATUS',
              message: 'line 4: the card answered 63C2 (verification failed, 2 tries left)',
              line: 4,
              sw: '63C2',
            },
          },
        ],
      }),
    ).toEqual(['SetPin: line 4: the card answered 63C2 (verification failed, 2 tries left) [CARD_STATUS]']);
  });

  it('adds the line and the status-word meaning the message leaves out', () => {
    expect(
      failureReasons({
        applications: [
          { name: 'SetPin', failure: { code: 'CARD_STATUS', message: 'refused', line: 4, sw: '63c1' } },
          { name: 'Verify', failure: { code: 'CARD_STATUS', message: 'the card answered 6982', sw: '6982' } },
        ],
      }),
    ).toEqual([
      'SetPin: line 4: refused (status word 63C1: verification failed, 1 tries left) [CARD_STATUS]',
      'Verify: the card answered 6982 (security status not satisfied) [CARD_STATUS]',
    ]);
  });

  it('lists the job error and a rejection too, as indented reason lines', () => {
    expect(
      reasonLines({
        result: {
          error: { code: 'CARD_REMOVED', message: 'the card was removed' },
          rejection: { reason: 'expired' },
        },
      }),
    ).toBe('\n  reason: the card was removed [CARD_REMOVED]\n  reason: rejected by the agent: expired');
    expect(reasonLines({})).toBe('');
  });
});
