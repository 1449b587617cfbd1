import { toHex, validateBundle } from '@cardfleet/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactedBundleFiles } from './encoding-redaction';

// docs/security.md, "An office operator": no literal secret of an encoding comes back
// in GET /v1/encodings/:id, however the grammar lets it be written.

const blanks = fc.constantFrom('', '', ' ', '  ', '\t', ' \t');
/** One spelling of bytes as hex: either case per digit, blanks between any digits. */
const hexSpelling = (bytes: Uint8Array) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: bytes.length * 2, maxLength: bytes.length * 2 }),
      fc.array(blanks, { minLength: bytes.length * 2, maxLength: bytes.length * 2 }),
    )
    .map(([upper, gaps]) =>
      [...toHex(bytes)]
        .map((d, i) => `${upper[i] ? d.toUpperCase() : d}${i < gaps.length - 1 ? (gaps[i] ?? '') : ''}`)
        .join(''),
    );
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

const encodingCase = fc
  .record({
    cmk: bytes(24),
    newCmk: bytes(24),
    crKey: fc.oneof(
      fc.record({ alg: fc.constantFrom('AES_CMAC', 'CMAC'), key: bytes(32) }),
      fc.record({ alg: fc.constantFrom('RETAIL_MAC', 'MAC3', 'retail_mac'), key: bytes(16) }),
      fc.record({ alg: fc.constantFrom('DES3_ECB', 'MAC3'), key: bytes(24) }),
    ),
    puk: fc.stringMatching(/^[0-9]{8,12}$/),
    bom: fc.boolean(),
    crlf: fc.boolean(),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      cmkText: hexSpelling(c.cmk),
      newCmkText: hexSpelling(c.newCmk),
      crKeyText: hexSpelling(c.crKey.key),
      prefix: fc.constantFrom('0x', '0X'),
      around: fc.tuple(blanks, blanks, blanks, blanks),
      inputFormat: fc.constantFrom('', '<hex>', '<string>', '<base64>'),
      comment: fc.constantFrom('', '  # the admin key', ' accept(6300)'),
    }),
  );

describe('redacted bundle files', () => {
  it('keep no literal secret in any spelling the grammar accepts', () => {
    fc.assert(
      fc.property(
        encodingCase,
        ({ c, cmkText, newCmkText, crKeyText, prefix, around, inputFormat, comment }) => {
          const eol = c.crlf ? '\r\n' : '\n';
          const ini = [
            `${c.bom ? '\uFEFF' : ''}ApplicationList=Application_Main,Application_Cr`,
            '[Application_Main]',
            'PKCS11Library=eTPKCS11.dll',
            'SetPin=true',
            `CardManagerKey=${around[0]}${cmkText}${around[1]}`,
            `NewCardManagerKey  =${newCmkText}`,
            `SignaturePuk= ${c.puk}`,
            'NewPin=${NEW_PIN}',
            '[Application_Cr]',
            'ApduFile=cr.apdu',
          ].join(eol);
          const apdu = [
            'DYN[CHALLENGE]:00840000;;8',
            `CR[RESPONSE]:${c.crKey.alg};${around[2]}${prefix}${crKeyText}${around[3]};${inputFormat}CHALLENGE${comment}`,
            'DYN:00820000;RESPONSE;',
          ].join(eol);
          const files = [
            { name: 'encoding.ini', bytes: new TextEncoder().encode(ini) },
            { name: 'cr.apdu', bytes: new TextEncoder().encode(apdu) },
          ];
          const { bundle, problems } = validateBundle({ files });
          expect(problems.map((p) => p.message)).toEqual([]);
          if (!bundle) throw new Error('the generated bundle is valid');
          const texts = new Map([
            ['encoding.ini', ini],
            ['cr.apdu', apdu],
          ]);
          const redacted = redactedBundleFiles(bundle, texts).map((f) => f.text);
          // Every spelling of a byte sequence folds to the same lower-case digits once blanks go.
          const folded = redacted.join('\n').replace(/\s+/g, '').toLowerCase();
          for (const secret of [c.cmk, c.newCmk, c.crKey.key])
            expect(folded).not.toContain(toHex(secret).toLowerCase());
          expect(redacted.join('\n')).not.toContain(c.puk);
          // Field references name a field, not a value: they stay readable.
          expect(redacted[0]).toContain('NewPin=${NEW_PIN}');
          expect(redacted[1]).toContain('CHALLENGE');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('files that are neither the encoding nor a script', () => {
  it('come back as they are, not parsed as a script nor dropped', () => {
    const ini = ['ApplicationList=Application_Cr', '[Application_Cr]', 'ApduFile=cr.apdu'].join('\n');
    const apdu = `CR[RESPONSE]:AES_CMAC;0x${'11'.repeat(32)};CHALLENGE\n`;
    const { bundle } = validateBundle({
      files: [
        { name: 'encoding.ini', bytes: new TextEncoder().encode(ini) },
        { name: 'cr.apdu', bytes: new TextEncoder().encode(apdu) },
      ],
    });
    if (!bundle) throw new Error('the bundle is valid');
    // Script syntax in a file no application runs is text, not a script.
    const notes = `CR[RESPONSE]:AES_CMAC;0x${'22'.repeat(32)};CHALLENGE\n`;
    const redacted = redactedBundleFiles(
      bundle,
      new Map([
        ['encoding.ini', ini],
        ['cr.apdu', apdu],
        ['notes.txt', notes],
      ]),
    );
    expect(redacted[2]).toEqual({ name: 'notes.txt', text: notes });
    expect(redacted[1]?.text).not.toContain('11'.repeat(32));
  });
});
