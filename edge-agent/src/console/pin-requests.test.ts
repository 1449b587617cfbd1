import { CardfleetError, type JobResult } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import type { PinRequest } from '../runner/prompter';
import { PinRequests } from './pin-requests';

const request: PinRequest = {
  line: 3,
  description: 'Signature PIN',
  rule: '[0-9]{6}',
  askOld: false,
  askTransport: true,
};

describe('PinRequests', () => {
  it('shows a request with its job and resolves it with the answer', async () => {
    const requests = new PinRequests({ timeoutMs: 60_000 });
    const asked = requests.prompter({ jobId: 'job-1', reader: 'R 0' }).askPins('App', [request]);
    const [pending] = requests.pending();
    expect(pending).toMatchObject({ jobId: 'job-1', reader: 'R 0', application: 'App', requests: [request] });
    requests.answer(pending?.id ?? '', [{ transport: '000000', pin: '482913', confirmation: '482913' }]);
    await expect(asked).resolves.toEqual([{ transport: '000000', pin: '482913', confirmation: '482913' }]);
    expect(requests.pending()).toEqual([]);
  });

  it('stamps a request with the injected clock: when it was asked and when it expires', async () => {
    const clock = { monotonicMs: () => 0, isoNow: () => '2027-01-15T08:00:00.000Z' };
    const requests = new PinRequests({ timeoutMs: 90_000, clock });
    const asked = requests.prompter().askPins('App', [request]);
    const [pending] = requests.pending();
    expect(pending).toMatchObject({
      askedAt: '2027-01-15T08:00:00.000Z',
      expiresAt: '2027-01-15T08:01:30.000Z',
    });
    requests.answer(pending?.id ?? '', [{ transport: '000000', pin: '482913', confirmation: '482913' }]);
    await expect(asked).resolves.toHaveLength(1);
  });

  it('keeps the request pending when the answer breaks the rule, without the PIN in the error', async () => {
    const requests = new PinRequests({ timeoutMs: 60_000 });
    const asked = requests.prompter().askPins('App', [request]);
    const id = requests.pending()[0]?.id ?? '';
    const attempt = () => requests.answer(id, [{ transport: '000000', pin: '12ab', confirmation: '12ab' }]);
    expect(attempt).toThrow(CardfleetError);
    expect(attempt).toThrow(/line 3: the new PIN does not match the rule/);
    // Said in words, as the form says it; the raw rule stays behind the page's disclosure.
    expect(attempt).toThrow('line 3: the new PIN does not match the rule — it must be 6 digits');
    expect(attempt).not.toThrow(/\[0-9\]/);
    expect(attempt).not.toThrow(/12ab/);
    expect(() => requests.answer(id, [{ pin: '482913', confirmation: '482913' }])).toThrow(/transport PIN/);
    expect(() => requests.answer(id, [{ transport: '0', pin: '482913', confirmation: '482914' }])).toThrow(
      /confirmation differ/,
    );
    expect(requests.pending()).toHaveLength(1);
    requests.answer(id, [{ transport: '000000', pin: '482913', confirmation: '482913' }]);
    await expect(asked).resolves.toHaveLength(1);
  });

  it('says a broken rule it cannot put in words as "the rule set for this card"', async () => {
    const requests = new PinRequests({ timeoutMs: 60_000 });
    const asked = requests
      .prompter()
      .askPins('App', [{ ...request, rule: '^[0-9]{6}$', askTransport: false }]);
    const id = requests.pending()[0]?.id ?? '';
    expect(() => requests.answer(id, [{ pin: '12', confirmation: '12' }])).toThrow(
      expect.objectContaining({
        code: 'PIN_RULE',
        message: 'line 3: the new PIN does not match the rule set for this card',
      }),
    );
    requests.close();
    await expect(asked).rejects.toMatchObject({ code: 'PIN_CANCELLED' });
  });

  it('fails with PIN_TIMEOUT when nobody answers, and forgets the request', async () => {
    const requests = new PinRequests({ timeoutMs: 30 });
    const changes: number[] = [];
    requests.onChange(() => changes.push(requests.pending().length));
    await expect(requests.prompter().askPins('App', [request])).rejects.toMatchObject({
      code: 'PIN_TIMEOUT',
    });
    expect(requests.pending()).toEqual([]);
    expect(changes).toEqual([1, 0]);
  });

  it('cancels on request and when the agent stops; unknown ids are a typed error', async () => {
    const requests = new PinRequests({ timeoutMs: 60_000 });
    const first = requests.prompter().askPins('App', [request]);
    requests.cancel(requests.pending()[0]?.id ?? '');
    await expect(first).rejects.toMatchObject({ code: 'PIN_CANCELLED' });
    const second = requests.prompter().askPins('App', [request]);
    requests.close();
    await expect(second).rejects.toMatchObject({ code: 'PIN_CANCELLED' });
    expect(() => requests.answer('nope', [])).toThrow(
      expect.objectContaining({ code: 'PIN_REQUEST_UNKNOWN' }),
    );
  });

  it("shows the card the runner read, the job's encoding and the rule in words", async () => {
    const requests = new PinRequests({ timeoutMs: 60_000 });
    const card = { reader: 'Reader 1', atr: '3B8F8001', cardNames: ['Gemalto IDPrime 940'] };
    const asked = requests
      .prompter({ jobId: 'job-1', reader: 'R 0', encoding: { id: 'personalise', version: 2 } })
      .askPins('App', [request, { ...request, line: 5, rule: '^[0-9]{6}$' }], card);
    const [pending] = requests.pending();
    expect(pending).toMatchObject({
      reader: 'Reader 1',
      encoding: { id: 'personalise', version: 2 },
      card: { atr: '3B8F8001', names: ['Gemalto IDPrime 940'] },
      requests: [{ rule: '[0-9]{6}', ruleWords: '6 digits' }, { rule: '^[0-9]{6}$' }],
    });
    expect(pending?.requests[1]).not.toHaveProperty('ruleWords');
    requests.close();
    await expect(asked).rejects.toMatchObject({ code: 'PIN_CANCELLED' });
  });

  it('counts the seconds left by the injected clock', async () => {
    let now = '2027-01-15T08:00:00.000Z';
    const clock = { monotonicMs: () => 0, isoNow: () => now };
    const requests = new PinRequests({ timeoutMs: 90_000, clock });
    const asked = requests.prompter().askPins('App', [request]);
    const [pending] = requests.pending();
    if (!pending) throw new Error('no pending request');
    expect(requests.secondsLeft(pending)).toBe(90);
    now = '2027-01-15T08:01:00.500Z';
    expect(requests.secondsLeft(pending)).toBe(30);
    now = '2027-01-15T08:05:00.000Z';
    expect(requests.secondsLeft(pending)).toBe(0);
    expect(requests.view(pending.id)).toBe(pending);
    requests.close();
    await expect(asked).rejects.toMatchObject({ code: 'PIN_CANCELLED' });
  });

  it('remembers how each request ended — sent, then whether the card took it; expired; cancelled', async () => {
    const requests = new PinRequests({ timeoutMs: 60_000 });
    const station = requests.prompter({ jobId: 'job-1', reader: 'R 0' });
    const other = requests.prompter({ jobId: 'job-2', reader: 'R 1' });
    const asked = station.askPins('App', [request]);
    const cancelled = other.askPins('App', [request]);
    const [first, second] = requests.pending().map((p) => p.id);
    requests.answer(first ?? '', [{ transport: '000000', pin: '482913', confirmation: '482913' }]);
    await asked;
    requests.cancel(second ?? '');
    await expect(cancelled).rejects.toMatchObject({ code: 'PIN_CANCELLED' });
    expect(requests.recent().map((r) => [r.id, r.outcome])).toEqual([
      [second, 'cancelled'],
      [first, 'sent'],
    ]);
    const refused: JobResult = {
      jobId: 'job-1',
      attempt: 1,
      agentId: 'a',
      status: 'FAILED',
      finishedAt: '2027-01-15T08:00:00.000Z',
      applications: [
        {
          name: 'App',
          kind: 'apdu',
          status: 'FAILED',
          outputs: {},
          apdus: [],
          failure: { code: 'CARD_STATUS', message: 'm', sw: '63C2' },
        },
      ],
    };
    station.jobFinished?.(refused);
    const after = requests.recent();
    expect(after.find((r) => r.id === first)).toMatchObject({
      outcome: 'card-refused',
      message: expect.stringContaining('The card in R 0 refused the PIN (63C2)'),
    });
    // Another job's end does not touch a request it did not ask.
    expect(after.find((r) => r.id === second)?.outcome).toBe('cancelled');
    expect(JSON.stringify(after)).not.toMatch(/482913|000000/);
  });

  it('records a request nobody answered as expired', async () => {
    const requests = new PinRequests({ timeoutMs: 20 });
    await expect(requests.prompter().askPins('App', [request])).rejects.toMatchObject({
      code: 'PIN_TIMEOUT',
    });
    expect(requests.recent()).toEqual([
      expect.objectContaining({ outcome: 'expired', message: expect.stringContaining('PIN_TIMEOUT') }),
    ]);
  });

  it('keeps only the last 20 ended requests', async () => {
    const requests = new PinRequests({ timeoutMs: 60_000 });
    for (let i = 0; i < 25; i += 1) {
      const asked = requests.prompter().askPins('App', [request]);
      requests.cancel(requests.pending()[0]?.id ?? '');
      await expect(asked).rejects.toMatchObject({ code: 'PIN_CANCELLED' });
    }
    expect(requests.recent()).toHaveLength(20);
  });
});
