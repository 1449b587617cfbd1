import { readFileSync } from 'node:fs';
import { CardfleetError } from '@cardfleet/shared';

/** A fields file: a JSON object of field name → string value (`--fields`). */
export function readFieldsFile(path: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CardfleetError('FIELDS_BAD_JSON', `${path}: not a readable JSON file`, { cause });
  }
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  ) {
    throw new CardfleetError('FIELDS_BAD_JSON', `${path}: expected an object of field name → string value`);
  }
  return value as Record<string, string>;
}
