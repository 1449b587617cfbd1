import { CardfleetError, type ReleaseState, type VersionStatus } from '@cardfleet/shared';

/**
 * The two lifecycles of docs/releases.md in one place: an encoding version's (draft →
 * approved → released → retired) and a release's (ACTIVE ⇄ HALTED → ROLLED_BACK). The
 * release store refuses any move these tables do not list.
 */
export const VERSION_MOVES = {
  approve: { from: ['draft'], to: 'approved' },
  // A released (or legacy) version may be released again, to other offices or after a rollback.
  release: { from: ['approved', 'released'], to: 'released' },
  retire: { from: ['draft', 'approved', 'released'], to: 'retired' },
} as const satisfies Record<string, { from: readonly VersionStatus[]; to: VersionStatus }>;
export type VersionAction = keyof typeof VERSION_MOVES;

export const RELEASE_MOVES = {
  promote: { from: ['ACTIVE'], to: 'ACTIVE' },
  halt: { from: ['ACTIVE'], to: 'HALTED' },
  resume: { from: ['HALTED'], to: 'ACTIVE' },
  rollback: { from: ['ACTIVE', 'HALTED'], to: 'ROLLED_BACK' },
} as const satisfies Record<string, { from: readonly ReleaseState[]; to: ReleaseState }>;
export type ReleaseAction = keyof typeof RELEASE_MOVES;

/** The status after `action`, or VERSION_STATE when the lifecycle does not allow it. */
export function versionMove(status: VersionStatus, action: VersionAction, what: string): VersionStatus {
  const move = VERSION_MOVES[action];
  if (!(move.from as readonly VersionStatus[]).includes(status))
    throw new CardfleetError('VERSION_STATE', `${what} is ${status}; it cannot be ${pastTense(action)}`, {
      details: { status, action },
    });
  return move.to;
}

/** The state after `action`, or RELEASE_STATE when the lifecycle does not allow it. */
export function releaseMove(state: ReleaseState, action: ReleaseAction, what: string): ReleaseState {
  const move = RELEASE_MOVES[action];
  if (!(move.from as readonly ReleaseState[]).includes(state))
    throw new CardfleetError('RELEASE_STATE', `${what} is ${state}; it cannot be ${pastTense(action)}`, {
      details: { state, action },
    });
  return move.to;
}

/**
 * Four eyes: the admin who pushed a version never approves it (docs/security.md, "An
 * admin"); the identity is the token's subject, so one person with two subjects is an
 * IdP matter, not the API's.
 */
export function assertFourEyes(uploadedBy: string, approver: string, what: string): void {
  if (uploadedBy === approver)
    throw new CardfleetError(
      'SELF_APPROVAL',
      `${what} was pushed by ${approver}: a second admin approves it`,
    );
}

function pastTense(action: VersionAction | ReleaseAction): string {
  return {
    approve: 'approved',
    release: 'released',
    retire: 'retired',
    promote: 'promoted',
    halt: 'halted',
    resume: 'resumed',
    rollback: 'rolled back',
  }[action];
}
