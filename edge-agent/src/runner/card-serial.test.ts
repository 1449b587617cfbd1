import { join } from 'node:path';
import { validateBundle } from '@cardfleet/shared';
import { readBundleFromPath } from '@cardfleet/shared/node';
import { describe, expect, it } from 'vitest';
import { applicationHandlers } from '../applications/application-handlers';
import { InProcessReaders } from '../readers/in-process-readers';
import { loadCardProfile } from '../virtual-card/card-profile';
import { cardSerial } from './card-serial';
import { systemClock } from './clock';
import { FieldStore } from './field-store';
import { runEncoding } from './job-runner';

const root = join(import.meta.dirname, '../../..');
const withField = (name: string) => ({
  settings: {
    CardSerialField: {
      key: 'CardSerialField',
      value: { kind: 'literal' as const, text: name },
      secret: false,
      line: 1,
      column: 1,
    },
  },
});

describe('the card serial a run files its card under', () => {
  it('is the PKCS#11 token serial, trimmed, when a token application named one', () => {
    const fields = new FieldStore({ CARD_SERIAL: '0A1B' }, []);
    expect(
      cardSerial(withField('CARD_SERIAL'), fields, { model: 'IDPrime   ', serial: 'ABC123    ' }),
    ).toEqual({
      tokenModel: 'IDPrime   ',
      tokenSerial: 'ABC123    ',
      serial: 'ABC123',
      serialSource: 'pkcs11-token',
    });
  });

  it('is the encoding field named by CardSerialField when no token named one', () => {
    const fields = new FieldStore({ CARD_SERIAL: '0A1B2C3D4E5F6071' }, []);
    expect(cardSerial(withField('CARD_SERIAL'), fields, undefined)).toEqual({
      serial: '0A1B2C3D4E5F6071',
      serialSource: 'encoding-field',
    });
  });

  it('is none when the field stayed empty, the encoding names no field, or the field is secret', () => {
    expect(cardSerial(withField('CARD_SERIAL'), new FieldStore({ CARD_SERIAL: '' }, []), undefined)).toEqual({
      serialSource: 'none',
    });
    expect(cardSerial({ settings: {} }, new FieldStore({ CARD_SERIAL: '01' }, []), undefined)).toEqual({
      serialSource: 'none',
    });
    const secret = new FieldStore({ CARD_SERIAL: '01' }, ['CARD_SERIAL']);
    expect(cardSerial(withField('CARD_SERIAL'), secret, undefined)).toEqual({ serialSource: 'none' });
  });

  it('falls back from a blank token serial to the encoding field', () => {
    const fields = new FieldStore({ S: '77' }, []);
    expect(cardSerial(withField('S'), fields, { model: 'm', serial: '    ' })).toMatchObject({
      serial: '77',
      serialSource: 'encoding-field',
    });
  });
});

describe('an APDU-only run of examples/read-serial on the virtual CardOS card', () => {
  const bundle = () => {
    const validated = validateBundle(readBundleFromPath(join(root, 'examples/read-serial')));
    if (!validated.bundle) throw new Error(validated.problems.map((p) => p.describe()).join('\n'));
    return validated.bundle;
  };
  const run = (handlers = applicationHandlers()) => {
    const readers = new InProcessReaders();
    readers.insert('R', loadCardProfile(join(root, 'examples/cards/cardos.json')));
    return runEncoding({
      bundle: bundle(),
      readers,
      reader: 'R',
      fields: {},
      prompter: { askPins: async () => [] },
      clock: systemClock,
      handlers,
    });
  };

  it('files the card under the serial GET DATA 0181 read into CardSerialField', async () => {
    const result = await run();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.card).toMatchObject({ serial: '0A1B2C3D4E5F6071', serialSource: 'encoding-field' });
  });

  it('prefers a token serial an application reported through identifyToken', async () => {
    const apdu = applicationHandlers().apdu;
    const result = await run({
      apdu: async (app, context) => {
        context.identifyToken?.({ model: 'CardOS', serial: 'TOKEN-7   ' });
        return apdu(app, context);
      },
    });
    expect(result.card).toMatchObject({
      serial: 'TOKEN-7',
      tokenSerial: 'TOKEN-7   ',
      serialSource: 'pkcs11-token',
    });
  });
});

describe('bundle validation of CardSerialField', () => {
  const bundleWith = (ini: string, script: string) =>
    validateBundle({
      files: [
        { name: 'e.ini', bytes: new TextEncoder().encode(ini) },
        { name: 's.apdu', bytes: new TextEncoder().encode(script) },
      ],
    });
  const ini = (field: string) => `CardSerialField=${field}\nApplicationList=A\n[A]\nApduFile=s.apdu\n`;

  it('accepts a field a RAW or DYN line writes', () => {
    expect(bundleWith(ini('SN'), 'RAW[SN]:00CA018108\n').problems).toEqual([]);
    expect(bundleWith(ini('SN'), 'DYN[SN]:00CA0181;;8\n').problems).toEqual([]);
  });

  it('refuses a field no script line writes, and a secret field, with its position', () => {
    const missing = bundleWith(ini('OTHER'), 'RAW[SN]:00CA018108\n');
    expect(missing.problems.map((p) => [p.code, p.position?.line])).toEqual([['ENCODING_SERIAL_FIELD', 1]]);
    const secret = bundleWith(`SecretFields=SN\n${ini('SN')}`, 'RAW[SN]:00CA018108\n');
    expect(secret.problems.map((p) => p.code)).toEqual(['ENCODING_SERIAL_FIELD']);
  });
});
