import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFieldsFile } from './fields-file';

let directory = '';
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cardfleet-fields-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const fileOf = (text: string) => {
  const path = join(directory, 'fields.json');
  writeFileSync(path, text, 'utf8');
  return path;
};
const refusal = (path: string) => {
  try {
    readFieldsFile(path);
  } catch (error) {
    const e = error as { name: string; code: string; message: string; cause?: unknown };
    return { name: e.name, code: e.code, message: e.message, caused: e.cause !== undefined };
  }
  return 'read';
};

describe('a fields file', () => {
  it('is read as its object of field name to string value', () => {
    expect(readFieldsFile(fileOf('{"holder":"Ada","serial":"0042"}'))).toEqual({
      holder: 'Ada',
      serial: '0042',
    });
    expect(readFieldsFile(fileOf('{}'))).toEqual({});
  });

  it('is refused when missing or not JSON, naming the path and keeping the cause', () => {
    const missing = join(directory, 'absent.json');
    expect(refusal(missing)).toEqual({
      name: 'CardfleetError',
      code: 'FIELDS_BAD_JSON',
      message: `${missing}: not a readable JSON file`,
      caused: true,
    });
    const broken = fileOf('{"holder":');
    expect(refusal(broken)).toEqual({
      name: 'CardfleetError',
      code: 'FIELDS_BAD_JSON',
      message: `${broken}: not a readable JSON file`,
      caused: true,
    });
  });

  it('is refused when it is not an object of strings', () => {
    for (const text of [
      'null',
      '0',
      '"text"',
      'true',
      '[]',
      '["a"]',
      '{"a":"x","b":1}',
      '{"a":{"b":"c"}}',
      '{"a":null}',
    ]) {
      const path = fileOf(text);
      expect([text, refusal(path)]).toEqual([
        text,
        {
          name: 'CardfleetError',
          code: 'FIELDS_BAD_JSON',
          message: `${path}: expected an object of field name → string value`,
          caused: false,
        },
      ]);
    }
  });
});
