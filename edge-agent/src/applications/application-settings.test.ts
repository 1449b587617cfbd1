import { parseEncoding } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { FieldStore } from '../runner/field-store';
import { settingValue, slotLocationOf } from './application-settings';

function applicationOf(lines: string[]) {
  const app = parseEncoding(['ApplicationList=P', '[P]', 'PKCS11Library=x.dll', ...lines].join('\n'), 'e.ini')
    .encoding?.applications[0];
  if (!app) throw new Error('no application');
  return app;
}

describe('application settings', () => {
  it('reads a literal setting as written and a field reference from the job fields', () => {
    const app = applicationOf(['TokenLabel=Berlin', 'Pin=${USER_PIN}', 'KeyPairLabel=k']);
    const fields = new FieldStore({ USER_PIN: '123456' }, []);
    expect(settingValue(app.settings.TokenLabel, fields)).toBe('Berlin');
    expect(settingValue(app.settings.Pin, fields)).toBe('123456');
    expect(settingValue(app.settings.NewPin, fields)).toBeUndefined();
  });

  it('targets the signature slot only for Location=#signature', () => {
    expect(slotLocationOf(applicationOf(['Location=#signature', 'KeyPairLabel=k']))).toBe('signature');
    expect(slotLocationOf(applicationOf(['KeyPairLabel=k']))).toBe('main');
  });
});
