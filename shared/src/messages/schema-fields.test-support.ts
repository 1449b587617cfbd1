import { expect } from 'vitest';
import type { z } from 'zod';

/**
 * Schema tests' one-field-off helper (docs/mutation-testing.md, static mutants): a good
 * value parses to itself, and each constraint is tried at its boundary from both sides,
 * one field changed at a time.
 */
export const MISSING = Symbol('missing');
export type Path = readonly (string | number)[];

/** A copy of `base` with the value at `path` replaced (or removed: MISSING). */
export function variant<T>(base: T, path: Path, value: unknown): T {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === MISSING) delete at[last];
  else at[last] = value;
  return copy as T;
}

/** Each good value at `path` parses to the whole value unchanged; each bad one is refused. */
export function expectField(
  schema: z.ZodType,
  base: unknown,
  path: Path,
  values: { good?: readonly unknown[]; bad?: readonly unknown[] },
) {
  for (const value of values.good ?? []) {
    const input = variant(base, path, value);
    expect(schema.safeParse(input), `${path.join('.')} = ${String(value)}`).toEqual({
      success: true,
      data: input,
    });
  }
  for (const value of values.bad ?? [])
    expect(schema.safeParse(variant(base, path, value)).success, `${path.join('.')} = ${String(value)}`).toBe(
      false,
    );
}
