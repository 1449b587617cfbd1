import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApplicationResult, type JobResult, type JobState, validateBundle } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { type OperatorPins, operatorPins } from './operator-pins';
import { classifyOutcome } from './outcome-classification';

function exampleBundle(dir: string) {
  const path = join(import.meta.dirname, '../../../examples', dir);
  const files = readdirSync(path).map((name) => ({
    name,
    bytes: new Uint8Array(readFileSync(join(path, name))),
  }));
  const { bundle } = validateBundle({ files });
  if (!bundle) throw new Error(`examples/${dir} does not validate`);
  return bundle;
}

// examples/set-pin: line 4 presents the transport and new PINs (CHANGE REFERENCE DATA),
// line 6 the new PIN (VERIFY) — both typed at the station.
const setPin = operatorPins(exampleBundle('set-pin'));
const prompted: OperatorPins = { apduLines: new Map(), promptedApps: new Set(['Token']) };

function result(app: Partial<ApplicationResult> & Pick<ApplicationResult, 'kind'>): JobResult {
  return {
    jobId: 'j',
    attempt: 1,
    agentId: 'a',
    status: 'FAILED',
    finishedAt: '2026-12-06T00:00:00.000Z',
    applications: [{ name: 'Application_1', status: 'FAILED', outputs: {}, apdus: [], ...app }],
  };
}
const cardSaid = (sw: string, line: number) =>
  result({ kind: 'apdu', failure: { code: 'CARD_STATUS', message: `line ${line}`, line, sw } });
const counts = (state: JobState, r: JobResult | undefined, pins: OperatorPins = setPin) => {
  const outcome = classifyOutcome(state, r, pins);
  return outcome.counts ? (outcome.failed ? 'failed' : 'succeeded') : 'ignored';
};

describe('what counts against a release', () => {
  it('finds the lines of an encoding that present a PIN typed at the station', () => {
    expect([...(setPin.apduLines.get('Application_1') ?? [])]).toEqual([4, 6]);
    expect(operatorPins(exampleBundle('read-version')).apduLines.get('Application_1')?.size).toBe(0);
  });

  it("counts a success, and a failure that is the card's answer", () => {
    expect(counts('SUCCEEDED', undefined)).toBe('succeeded');
    expect(counts('FAILED', cardSaid('6A82', 2))).toBe('failed');
    // A wrong-PIN status word on a line that presents no operator PIN is the encoding's.
    expect(counts('FAILED', cardSaid('63C2', 2))).toBe('failed');
    expect(counts('FAILED', cardSaid('6983', 5))).toBe('failed');
  });

  it('does not count a mistyped PIN: 63CX or 6983 on a line that presents an operator-typed PIN', () => {
    expect(counts('FAILED', cardSaid('63C2', 6))).toBe('ignored');
    expect(counts('FAILED', cardSaid('63c0', 4))).toBe('ignored');
    expect(counts('FAILED', cardSaid('6983', 4))).toBe('ignored');
    // Another status word on that line is the card refusing the encoding's command.
    expect(counts('FAILED', cardSaid('6A80', 4))).toBe('failed');
  });

  it('does not count cancelled, timed-out, interrupted or rejected jobs', () => {
    for (const state of ['CANCELED', 'TIMED_OUT', 'INTERRUPTED', 'REJECTED'] as const)
      expect(counts(state, cardSaid('6A82', 2))).toBe('ignored');
  });

  it('does not count PIN timeouts and refusals at the console', () => {
    for (const code of ['PIN_TIMEOUT', 'PIN_CANCELLED', 'PIN_RULE', 'PIN_CONFIRMATION'])
      expect(counts('FAILED', result({ kind: 'apdu', failure: { code, message: 'console' } }))).toBe(
        'ignored',
      );
  });

  it("counts the module's errors, but not the station's set-up nor a prompted PIN typed wrong", () => {
    const module = (code: string, pins?: OperatorPins) =>
      counts('FAILED', result({ name: 'Token', kind: 'pkcs11', failure: { code, message: code } }), pins);
    expect(module('KEY_SIZE_UNSUPPORTED')).toBe('failed');
    expect(module('CKR_FUNCTION_FAILED')).toBe('failed');
    expect(module('PIN_INCORRECT')).toBe('failed');
    expect(module('PIN_INCORRECT', prompted)).toBe('ignored');
    expect(module('MODULE_LOAD_FAILED')).toBe('ignored');
    expect(module('TOKEN_NOT_PRESENT')).toBe('ignored');
  });

  it('does not count a card pulled, a reader lost, or a failure that names no application', () => {
    expect(
      counts('FAILED', result({ kind: 'apdu', failure: { code: 'CARD_REMOVED', message: 'gone' } })),
    ).toBe('ignored');
    expect(counts('FAILED', { ...result({ kind: 'apdu' }), applications: [] })).toBe('ignored');
  });
});
