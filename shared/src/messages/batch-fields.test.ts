import { describe, expect, it } from 'vitest';
import type { ValidatedBundle } from '../bundle/bundle';
import { batchFieldsOf } from './batch-fields';

/*
 * The CSV columns of a batch (docs/batches.md): a validated bundle reduced to what
 * batchFieldsOf reads (settings, script lines, secret fields), written as literals.
 */
const ref = (name: string) => ({ name });
const field = (name: string) => ({ value: { kind: 'field', name } });
const literal = { value: { kind: 'literal', text: 'x' } };

function bundle(parts: {
  settings?: Record<string, unknown>;
  applications?: Record<string, unknown>[];
  lines?: unknown[];
  secretFields?: string[];
}): ValidatedBundle {
  return {
    encoding: {
      settings: parts.settings ?? {},
      applications: (parts.applications ?? []).map((settings) => ({ settings })),
    },
    scripts: new Map([['a.apdu', { file: 'a.apdu', lines: parts.lines ?? [] }]]),
    secretFields: parts.secretFields ?? [],
  } as unknown as ValidatedBundle;
}

describe("a batch's CSV columns", () => {
  it('lists no column for an encoding that reads no field', () => {
    expect(batchFieldsOf(bundle({ settings: { Reader: literal } }))).toEqual([]);
  });

  it("makes the encoding's and each application's field settings required columns, in name order", () => {
    const fields = batchFieldsOf(
      bundle({
        settings: { Label: field('LABEL'), Mode: literal },
        applications: [{ Key: field('CMK') }, { Pin: field('APP_PIN') }],
        secretFields: ['CMK'],
      }),
    );
    expect(fields).toEqual([
      { name: 'APP_PIN', required: true, secret: false },
      { name: 'CMK', required: true, secret: true },
      { name: 'LABEL', required: true, secret: false },
    ]);
  });

  it('makes a field only DYN lines read optional, and one a required use also reads required in either order', () => {
    const lines = [
      {
        kind: 'DYN',
        output: undefined,
        data: [
          { kind: 'literal', bytes: new Uint8Array([1]) },
          { kind: 'field', ref: ref('D') },
        ],
      },
      { kind: 'DYN', output: undefined, data: [{ kind: 'field', ref: ref('BOTH_A') }] },
      { kind: 'CR', output: ref('MAC'), key: { kind: 'field', ref: ref('KEY') }, input: ref('BOTH_A') },
      {
        kind: 'CR',
        output: ref('MAC2'),
        key: { kind: 'literal', bytes: new Uint8Array(16) },
        input: ref('BOTH_B'),
      },
      { kind: 'DYN', output: undefined, data: [{ kind: 'field', ref: ref('BOTH_B') }] },
    ];
    expect(batchFieldsOf(bundle({ lines, secretFields: ['KEY'] }))).toEqual([
      { name: 'BOTH_A', required: true, secret: false },
      { name: 'BOTH_B', required: true, secret: false },
      { name: 'D', required: false, secret: false },
      { name: 'KEY', required: true, secret: true },
    ]);
  });

  it('leaves out the fields a line writes: APDU outputs and the PINs typed at the station', () => {
    const lines = [
      { kind: 'RAW', output: ref('SERIAL'), apdu: new Uint8Array(4) },
      {
        kind: 'PIN',
        oldPin: ref('OLD_PIN'),
        newPin: ref('NEW_PIN'),
        descriptionField: 'PIN_LABEL',
        transportPinField: 'TRANSPORT',
      },
      {
        kind: 'PIN',
        oldPin: undefined,
        newPin: ref('PIN2'),
        descriptionField: 'PIN_LABEL',
        transportPinField: undefined,
      },
      {
        kind: 'DYN',
        output: undefined,
        data: [
          { kind: 'field', ref: ref('SERIAL') },
          { kind: 'field', ref: ref('NEW_PIN') },
        ],
      },
    ];
    const settings = { A: field('OLD_PIN'), B: field('TRANSPORT'), C: field('PIN2'), D: field('Z') };
    expect(batchFieldsOf(bundle({ settings, lines }))).toEqual([
      { name: 'PIN_LABEL', required: true, secret: false },
      { name: 'Z', required: true, secret: false },
    ]);
  });
});
