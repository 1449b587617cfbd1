import { describe, expect, it } from 'vitest';
import { presenceOf } from './presence-report';

describe("the agent's presence report", () => {
  const reader = { name: 'Virtual PCD 00 00', cardPresent: false, atr: undefined };
  const agent = { version: '0.1.0', startedAt: '2026-12-06T03:00:00.000Z' };

  it('names the agent version and when the daemon started, online and offline', () => {
    expect(presenceOf('online', [reader], '2026-12-06T03:00:01.000Z', agent)).toEqual({
      status: 'online',
      at: '2026-12-06T03:00:01.000Z',
      agentVersion: '0.1.0',
      startedAt: '2026-12-06T03:00:00.000Z',
      readers: [{ name: 'Virtual PCD 00 00', cardPresent: false, atr: null, cardNames: [] }],
    });
    expect(presenceOf('offline', [reader], '2026-12-06T03:00:02.000Z', agent)).toMatchObject({
      agentVersion: '0.1.0',
      startedAt: '2026-12-06T03:00:00.000Z',
      readers: [],
    });
  });

  it('announces a dry-run card only when the agent has one (the cloud sends dry runs on it alone)', () => {
    expect(
      presenceOf('online', [reader], '2026-12-06T03:00:01.000Z', { ...agent, dryRunCard: true }),
    ).toMatchObject({
      dryRunCard: true,
    });
    expect(presenceOf('online', [reader], '2026-12-06T03:00:01.000Z', agent)).not.toHaveProperty(
      'dryRunCard',
    );
    expect(
      presenceOf('online', [reader], '2026-12-06T03:00:01.000Z', { ...agent, dryRunCard: false }),
    ).not.toHaveProperty('dryRunCard');
  });
});
