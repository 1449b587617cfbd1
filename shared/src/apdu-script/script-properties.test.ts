import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CR_ALGORITHMS, crKeyLengths } from '../crypto/challenge-response';
import { CardfleetError } from '../errors/cardfleet-error';
import { FIELD_FORMATS, type FieldRef } from './field-format';
import type { ApduScript, ScriptLine } from './script-ast';
import { parseScript } from './script-parser';
import { printScript } from './script-printer';
import { parseStatusWordPattern } from './status-word-pattern';

const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,11}$/);
const ref: fc.Arbitrary<FieldRef> = fc
  .record({ name, format: fc.constantFrom(...FIELD_FORMATS), explicitFormat: fc.boolean() })
  .map((r) => ({ ...r, explicitFormat: r.format === 'hex' ? r.explicitFormat : true }));
const plainRef: fc.Arbitrary<FieldRef> = name.map((n) => ({ name: n, format: 'hex', explicitFormat: false }));
const accept = fc.array(
  fc
    .stringMatching(/^[0-9A-FX]{4}$/)
    .map((t) => parseStatusWordPattern(t) as NonNullable<ReturnType<typeof parseStatusWordPattern>>),
  { maxLength: 3 },
);

const raw = fc.record({
  kind: fc.constant('RAW' as const),
  line: fc.constant(0),
  accept,
  output: fc.option(ref, { nil: undefined }),
  apdu: fc.uint8Array({ minLength: 4, maxLength: 40 }),
});
const dyn = fc
  .record({
    kind: fc.constant('DYN' as const),
    line: fc.constant(0),
    accept,
    output: fc.option(ref, { nil: undefined }),
    header: fc.uint8Array({ minLength: 4, maxLength: 4 }),
    data: fc.array(
      fc.oneof(
        ref.map((r) => ({ kind: 'field' as const, ref: r })),
        fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => ({ kind: 'literal' as const, bytes })),
      ),
      { maxLength: 4 },
    ),
    ne: fc.integer({ min: 0, max: 65536 }),
    separators: fc.integer({ min: 0, max: 2 }),
  })
  // A separator count the printer can express: data needs one, Le needs two.
  .map((d) => ({ ...d, separators: Math.max(d.separators, d.ne > 0 ? 2 : d.data.length > 0 ? 1 : 0) }));
const pin = fc
  .record({
    kind: fc.constant('PIN' as const),
    line: fc.constant(0),
    accept,
    oldPin: fc.option(ref, { nil: undefined }),
    newPin: ref,
    descriptionField: name,
    regExp: fc.option(fc.constantFrom('[0-9]{4,8}', '[a-zA-Z0-9]{8,12}', '(\\d{6}|[#;]x)'), {
      nil: undefined,
    }),
    transportPinField: fc.option(name, { nil: undefined }),
  })
  // The transport slot stays empty when an old PIN is asked (seed rule).
  .map((p) => (p.oldPin ? { ...p, transportPinField: undefined } : p));
const cr = fc.constantFrom(...CR_ALGORITHMS).chain((algorithm) =>
  fc.record({
    kind: fc.constant('CR' as const),
    line: fc.constant(0),
    accept,
    output: ref,
    algorithm: fc.constant(algorithm),
    key: fc.oneof(
      fc
        .constantFrom(...crKeyLengths(algorithm))
        .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
        .map((bytes) => ({ kind: 'literal' as const, bytes })),
      plainRef.map((r) => ({ kind: 'field' as const, ref: r })),
    ),
    input: ref,
  }),
);
const script = fc.array(fc.oneof(raw, dyn, pin, cr) as fc.Arbitrary<ScriptLine>, { maxLength: 12 });

function withoutLines(s: ApduScript): unknown {
  return s.lines.map((l) => ({ ...l, line: 0 }));
}

describe('APDU script properties', () => {
  it('parse ∘ print is the identity on scripts', () => {
    fc.assert(
      fc.property(script, (lines) => {
        const text = printScript({ file: 'p.apdu', lines });
        const { script: parsed, problems } = parseScript(text, 'p.apdu');
        expect(problems.map((p) => p.describe())).toEqual([]);
        expect(withoutLines(parsed)).toEqual(lines.map((l) => ({ ...l, line: 0 })));
        expect(printScript(parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text, and every problem is typed and positioned', () => {
    const noise = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc
        .array(
          fc.constantFrom(
            'RAW',
            'DYN',
            'PIN',
            'CR',
            '[',
            ']',
            ':',
            ';',
            '+',
            '0x',
            '<hex>',
            'reg_exp(',
            ')',
            '#',
            ' ',
            'AB',
            'Z',
          ),
          { maxLength: 20 },
        )
        .map((t) => t.join('')),
    );
    fc.assert(
      fc.property(fc.array(noise, { maxLength: 6 }), (lines) => {
        const { problems } = parseScript(lines.join('\n'), 'n.apdu');
        for (const p of problems) {
          expect(p).toBeInstanceOf(CardfleetError);
          expect(p.position?.line).toBeGreaterThan(0);
          expect(p.position?.column).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
