import { describe, expect, it } from 'vitest';
import { buildPresenceMessage, type Presence, PresenceSchema, parsePresenceMessage } from './presence';
import { WIRE_VERSION } from './wire-version';

const presence: Presence = {
  status: 'online',
  at: '2026-11-29T12:00:00.000Z',
  readers: [{ name: 'Virtual PCD 00 00', cardPresent: false, atr: null, cardNames: [] }],
};

describe('presence messages', () => {
  it('announce the wire version the agent speaks, kept when read', () => {
    const message = buildPresenceMessage(presence);
    expect(parsePresenceMessage(message)).toEqual({ v: 3, ...presence });
  });

  it('take the previous version as sent (no v: an agent from before versioning)', () => {
    expect(parsePresenceMessage(buildPresenceMessage(presence, 1))).toEqual(presence);
    expect(parsePresenceMessage(JSON.stringify(presence))).not.toHaveProperty('v');
  });

  it("carry the agent's version and start time, and still take a presence without them", () => {
    const announced = { ...presence, agentVersion: '0.1.0', startedAt: '2026-11-29T11:59:58.000Z' };
    expect(parsePresenceMessage(buildPresenceMessage(announced))).toEqual({ v: WIRE_VERSION, ...announced });
    const older = parsePresenceMessage(JSON.stringify({ v: 2, ...presence }));
    expect(older).not.toHaveProperty('agentVersion');
    expect(older).not.toHaveProperty('startedAt');
  });

  it('refuse a newer version and a malformed presence', () => {
    expect(() => parsePresenceMessage(JSON.stringify({ ...presence, v: 4 }))).toThrow(
      expect.objectContaining({ code: 'PRESENCE_UNSUPPORTED_VERSION' }),
    );
    expect(() => parsePresenceMessage(JSON.stringify({ ...presence, status: 'away' }))).toThrow(
      expect.objectContaining({ code: 'PRESENCE_INVALID' }),
    );
  });
});

describe('presence limits', () => {
  const takes = (change: Record<string, unknown>) =>
    PresenceSchema.safeParse({ ...presence, ...change }).success;

  it('takes a full presence as sent', () => {
    const full = {
      v: 3,
      ...presence,
      agentVersion: 'v'.repeat(64),
      startedAt: 's'.repeat(64),
      dryRunCard: true,
      readers: [{ name: 'r', cardPresent: true, atr: '3B8F', cardNames: ['IDPrime'] }],
    };
    expect(PresenceSchema.parse(full)).toEqual(full);
  });

  it('refuses a version that is not a positive integer, long version strings and a false dry-run card', () => {
    for (const change of [
      { v: 0 },
      { v: 1.5 },
      { agentVersion: 'v'.repeat(65) },
      { startedAt: 's'.repeat(65) },
      { dryRunCard: false },
      { status: 'Online' },
      { at: undefined },
      { readers: undefined },
      { readers: [{ name: 'r', cardPresent: false, cardNames: [] }] },
      { readers: [{ name: 'r', cardPresent: 'no', atr: null, cardNames: [] }] },
    ])
      expect(takes(change), JSON.stringify(change)).toBe(false);
    for (const change of [{ v: 1 }, { status: 'offline' }, { readers: [] }]) expect(takes(change)).toBe(true);
  });
});
