import { RELEASE_STATES, VERSION_STATUSES } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import {
  assertFourEyes,
  RELEASE_MOVES,
  type ReleaseAction,
  releaseMove,
  VERSION_MOVES,
  type VersionAction,
  versionMove,
} from './release-lifecycle';

/** Every allowed move, written out: a change to the tables must change this list too. */
const VERSION_ALLOWED = [
  'draft approve → approved',
  'approved release → released',
  'released release → released',
  'draft retire → retired',
  'approved retire → retired',
  'released retire → retired',
];
const RELEASE_ALLOWED = [
  'ACTIVE promote → ACTIVE',
  'ACTIVE halt → HALTED',
  'HALTED resume → ACTIVE',
  'ACTIVE rollback → ROLLED_BACK',
  'HALTED rollback → ROLLED_BACK',
];

const attempt = (move: () => string) => {
  try {
    return move();
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('version lifecycle', () => {
  it('allows exactly the listed moves and refuses every other with VERSION_STATE', () => {
    const allowed: string[] = [];
    for (const status of VERSION_STATUSES)
      for (const action of Object.keys(VERSION_MOVES) as VersionAction[]) {
        const to = attempt(() => versionMove(status, action, 'v'));
        if (to === 'VERSION_STATE') continue;
        allowed.push(`${status} ${action} → ${to}`);
      }
    expect(allowed.sort()).toEqual([...VERSION_ALLOWED].sort());
  });

  it('never approves a version twice, nor brings a retired one back', () => {
    expect(attempt(() => versionMove('approved', 'approve', 'v'))).toBe('VERSION_STATE');
    expect(attempt(() => versionMove('retired', 'release', 'v'))).toBe('VERSION_STATE');
    expect(attempt(() => versionMove('draft', 'release', 'v'))).toBe('VERSION_STATE');
  });
});

describe('release lifecycle', () => {
  it('allows exactly the listed moves and refuses every other with RELEASE_STATE', () => {
    const allowed: string[] = [];
    for (const state of RELEASE_STATES)
      for (const action of Object.keys(RELEASE_MOVES) as ReleaseAction[]) {
        const to = attempt(() => releaseMove(state, action, 'r'));
        if (to === 'RELEASE_STATE') continue;
        allowed.push(`${state} ${action} → ${to}`);
      }
    expect(allowed.sort()).toEqual([...RELEASE_ALLOWED].sort());
  });

  it('does not promote a halted release before it is resumed', () => {
    expect(attempt(() => releaseMove('HALTED', 'promote', 'r'))).toBe('RELEASE_STATE');
  });
});

describe('four eyes', () => {
  it('stops the uploader from approving their own version', () => {
    expect(() => assertFourEyes('alice', 'alice', 'v')).toThrow(
      expect.objectContaining({ code: 'SELF_APPROVAL' }),
    );
    expect(() => assertFourEyes('alice', 'bob', 'v')).not.toThrow();
  });
});
