import { CardfleetError } from '../errors/cardfleet-error';

/**
 * Bounds on what one validation reports, so that a huge or thoroughly broken file gives
 * a readable answer in well under a second instead of exhausting the stack (a spread of
 * a million problems into `push`) or printing for minutes (docs/encoding-format.md,
 * "Limits").
 */
export const MAX_PROBLEMS = 100;

/**
 * Appends `more` to `into`, keeping at most MAX_PROBLEMS; when it drops any, the last kept
 * entry says how many were left out. Loops instead of `push(...more)`: spreading an array
 * of unbounded length passes every element as an argument.
 */
export function appendCapped(into: CardfleetError[], more: readonly CardfleetError[]): void {
  for (const problem of more) {
    if (into.length < MAX_PROBLEMS) {
      into.push(problem);
      continue;
    }
    const last = into[into.length - 1];
    // The note takes the last place; when it first appears it also counts the entry it replaces.
    const omitted = last?.code === 'PROBLEMS_OMITTED' ? Number(last.details?.omitted ?? 0) + 1 : 2;
    into[into.length - 1] = new CardfleetError(
      'PROBLEMS_OMITTED',
      `${omitted} more problem(s) not listed (the first ${MAX_PROBLEMS - 1} are shown)`,
      { details: { omitted } },
    );
  }
}

/**
 * One clear size error for a file no bundle may carry. Such a file is refused before it
 * is parsed: it could never travel (MAX_BUNDLE_BYTES), and parsing megabytes only to list
 * its problems takes time the person is waiting.
 */
export function fileTooLarge(name: string, size: number, limit: number): CardfleetError {
  return new CardfleetError(
    'BUNDLE_TOO_LARGE',
    `${name} holds ${size} bytes; a bundle may hold at most ${limit} (it travels inside one MQTT message) — not parsed`,
    { position: { file: name, line: 1, column: 1 } },
  );
}
