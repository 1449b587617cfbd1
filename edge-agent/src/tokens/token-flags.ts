import { CardfleetError } from '@cardfleet/shared';

/**
 * PKCS#11 flag words decoded (PKCS#11 v2.40 base spec §5.x: CK_SLOT_INFO and
 * CK_TOKEN_INFO flags). Pure: the pkcs11js adapter passes the numbers in.
 */
const SLOT = { tokenPresent: 0x1, removableDevice: 0x2, hardwareSlot: 0x4 } as const;

const TOKEN = {
  rng: 0x1,
  writeProtected: 0x2,
  loginRequired: 0x4,
  userPinInitialized: 0x8,
  protectedAuthenticationPath: 0x100,
  tokenInitialized: 0x400,
  userPinCountLow: 0x10000,
  userPinFinalTry: 0x20000,
  userPinLocked: 0x40000,
  userPinToBeChanged: 0x80000,
  soPinCountLow: 0x100000,
  soPinFinalTry: 0x200000,
  soPinLocked: 0x400000,
  soPinToBeChanged: 0x800000,
} as const;

export type SlotFlags = Record<keyof typeof SLOT, boolean>;
export type TokenFlags = Record<keyof typeof TOKEN, boolean>;

function decode<T extends Record<string, number>>(table: T, flags: number): Record<keyof T, boolean> {
  return Object.fromEntries(
    Object.entries(table).map(([name, bit]) => [name, (flags & bit) !== 0]),
  ) as Record<keyof T, boolean>;
}

export const decodeSlotFlags = (flags: number): SlotFlags => decode(SLOT, flags);

/**
 * The slot flags by name, for people: the three CK_SLOT_INFO bits PKCS#11 defines, and
 * every other set bit named by its value (32 = "vendor-defined 0x20") rather than dropped —
 * dropped, a slot with flags 32 would read like one with flags 0 ("empty").
 */
export function slotFlagNames(flags: number): string[] {
  const names = Object.entries(SLOT)
    .filter(([, bit]) => flags & bit)
    .map(([name]) => name);
  const known = Object.values(SLOT).reduce((all, bit) => all | bit, 0);
  for (let bit = 1; bit <= flags && bit <= 0x80000000; bit *= 2)
    if (flags & bit && !(known & bit)) names.push(`vendor-defined 0x${bit.toString(16).toUpperCase()}`);
  return names.length > 0 ? names : ['empty (no flag set)'];
}
export const decodeTokenFlags = (flags: number): TokenFlags => decode(TOKEN, flags);

/** CKU_SO = 0, CKU_USER = 1, CKU_CONTEXT_SPECIFIC = 2 (PKCS#11 §3.2 CK_USER_TYPE). */
export type UserType = 'so' | 'user';
export const USER_TYPE_VALUE: Readonly<Record<UserType, number>> = { so: 0, user: 1 };

/**
 * Refuses a login that would lock a PIN or that cannot succeed: the agent reads the
 * PIN flags before C_Login and never spends a final try implicitly (docs/edge-agent.md,
 * "PKCS#11 applications": cards are not idempotent; the PUK blocks for good after 5 failures).
 */
export function assertLoginAllowed(
  flags: TokenFlags,
  userType: UserType,
  who = userType === 'so' ? 'SO PIN / Card Manager Key' : 'user PIN',
): void {
  const locked = userType === 'so' ? flags.soPinLocked : flags.userPinLocked;
  const finalTry = userType === 'so' ? flags.soPinFinalTry : flags.userPinFinalTry;
  if (locked)
    throw new CardfleetError('PIN_LOCKED', `the ${who} is locked; the token refuses further attempts`);
  if (finalTry) {
    throw new CardfleetError(
      'PIN_FINAL_TRY',
      `only one try is left for the ${who}; the agent will not spend it (unblock the card first)`,
    );
  }
}
