import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { parseEncoding } from './encoding-parser';
import { type IniDocument, parseIni, printIni } from './ini-document';

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,10}$/);
// Values: anything printable without newlines and without surrounding blanks — `#`,
// `;`, `=` and `[` included, since values are verbatim.
const value = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019 #;=[]:/\\.${}-_'.split('')), maxLength: 30 })
  .map((v) => v.trim());
const entries = fc.uniqueArray(fc.record({ key: name, value }), { selector: (e) => e.key, maxLength: 6 });
const document = fc.record({
  global: entries,
  sections: fc.uniqueArray(fc.record({ name, entries }), { selector: (s) => s.name, maxLength: 5 }),
});

function shape(doc: IniDocument) {
  const strip = (list: { key: string; value: string }[]) =>
    list.map(({ key, value: v }) => ({ key, value: v }));
  return {
    global: strip(doc.global),
    sections: doc.sections.map((s) => ({ name: s.name, entries: strip(s.entries) })),
  };
}

describe('encoding properties', () => {
  it('parse ∘ print is the identity on INI documents', () => {
    fc.assert(
      fc.property(document, (doc) => {
        const withPositions: IniDocument = {
          file: 'p.ini',
          global: doc.global.map((e) => ({ ...e, line: 0, keyColumn: 0, valueColumn: 0 })),
          sections: doc.sections.map((s) => ({
            name: s.name,
            line: 0,
            entries: s.entries.map((e) => ({ ...e, line: 0, keyColumn: 0, valueColumn: 0 })),
          })),
        };
        const text = printIni(withPositions);
        const { document: parsed, problems } = parseIni(text, 'p.ini');
        expect(problems).toEqual([]);
        expect(shape(parsed)).toEqual(shape(withPositions));
        expect(printIni(parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('parse ∘ print keeps a valid encoding the same', () => {
    const app = fc.oneof(
      fc.record({ ApduFile: name.map((n) => `${n}.apdu`), ApduResponseCodesField: name }),
      fc.record({
        PKCS11Library: fc.constantFrom('eTPKCS11.dll', '/usr/lib/x.so'),
        InitToken: fc.constantFrom('true', 'false'),
        CardManagerKey: fc.stringMatching(/^[0-9A-F]{48}$/),
      }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, app), { selector: (t) => t[0], minLength: 1, maxLength: 4 }),
        (apps) => {
          const doc: IniDocument = {
            file: 'e.ini',
            global: [
              {
                key: 'ApplicationList',
                value: apps.map((a) => a[0]).join(','),
                line: 0,
                keyColumn: 0,
                valueColumn: 0,
              },
            ],
            sections: apps.map(([n, settings]) => ({
              name: n,
              line: 0,
              entries: Object.entries(settings).map(([key, v]) => ({
                key,
                value: v,
                line: 0,
                keyColumn: 0,
                valueColumn: 0,
              })),
            })),
          };
          const first = parseEncoding(printIni(doc), 'e.ini');
          expect(first.problems.map((p) => p.describe())).toEqual([]);
          const reprinted = parseIni(printIni(doc), 'e.ini').document;
          const second = parseEncoding(printIni(reprinted), 'e.ini');
          expect(second.encoding).toEqual(first.encoding);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary text; every problem is typed and positioned', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .array(
          fc.constantFrom(
            '[',
            ']',
            '=',
            '#',
            ';',
            'ApplicationList',
            'ApduFile',
            'A',
            ',',
            '${',
            '}',
            ' ',
            'x.apdu',
            'CardManagerKey',
            '00',
          ),
          { maxLength: 12 },
        )
        .map((t) => t.join('')),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), (lines) => {
        const { problems, warnings } = parseEncoding(lines.join('\n'), 'r.ini');
        for (const p of [...problems, ...warnings]) {
          expect(p).toBeInstanceOf(CardfleetError);
          expect(p.position?.line).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
