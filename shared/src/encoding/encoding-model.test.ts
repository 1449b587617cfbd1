import { describe, expect, it } from 'vitest';
import { FIELD_REFERENCE, type Setting, settingText } from './encoding-model';

describe('job-field references', () => {
  it('are ${NAME} as the whole value, the name starting with a letter or _', () => {
    expect(FIELD_REFERENCE.exec('${A}')?.[1]).toBe('A');
    expect(FIELD_REFERENCE.exec('${_x9}')?.[1]).toBe('_x9');
    expect(FIELD_REFERENCE.exec('${Card_Key2}')?.[1]).toBe('Card_Key2');
  });

  it('refuse other spellings, empty names and text around the reference', () => {
    for (const bad of [
      '${}',
      '${9A}',
      '${A-B}',
      '${A B}',
      'x${A}',
      '${A}x',
      '$A',
      '{A}',
      '$(A)',
      '${A',
      '$A}',
      '${é}',
    ]) {
      expect(FIELD_REFERENCE.test(bad)).toBe(false);
    }
  });
});

describe('settingText', () => {
  const at = { key: 'K', secret: false, line: 1, column: 3 };

  it('gives a literal setting its text', () => {
    const setting: Setting = { ...at, value: { kind: 'literal', text: 'value' } };
    expect(settingText(setting)).toBe('value');
  });

  it('gives nothing for a reference, a prompt or a missing setting', () => {
    expect(settingText({ ...at, value: { kind: 'field', name: 'F' } })).toBeUndefined();
    expect(settingText({ ...at, value: { kind: 'prompt' } })).toBeUndefined();
    expect(settingText(undefined)).toBeUndefined();
  });
});
