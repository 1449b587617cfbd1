import { CardfleetError } from '@cardfleet/shared';
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
    expect(attempt).not.toThrow(/12ab/);
    expect(() => requests.answer(id, [{ pin: '482913', confirmation: '482913' }])).toThrow(/transport PIN/);
    expect(() => requests.answer(id, [{ transport: '0', pin: '482913', confirmation: '482914' }])).toThrow(
      /confirmation differ/,
    );
    expect(requests.pending()).toHaveLength(1);
    requests.answer(id, [{ transport: '000000', pin: '482913', confirmation: '482913' }]);
    await expect(asked).resolves.toHaveLength(1);
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
});
