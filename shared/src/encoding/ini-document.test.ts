import { describe, expect, it } from 'vitest';
import { type IniDocument, parseIni, printIni } from './ini-document';

const parse = (...lines: string[]) => {
  const { document, problems } = parseIni(lines.join('\n'), 'd.ini');
  return { document, problems: problems.map((p) => p.describe()) };
};

describe('parseIni', () => {
  it('reads encoding-wide keys, then sections, with the position of each key and value', () => {
    expect(parseIni('Top=1\n\n[App]\n  Key =  some value  \nOther=\n[Second.a-b_2]\nX=y', 'd.ini')).toEqual({
      document: {
        file: 'd.ini',
        global: [{ key: 'Top', value: '1', line: 1, keyColumn: 1, valueColumn: 5 }],
        sections: [
          {
            name: 'App',
            line: 3,
            entries: [
              { key: 'Key', value: 'some value', line: 4, keyColumn: 3, valueColumn: 10 },
              { key: 'Other', value: '', line: 5, keyColumn: 1, valueColumn: 7 },
            ],
          },
          {
            name: 'Second.a-b_2',
            line: 6,
            entries: [{ key: 'X', value: 'y', line: 7, keyColumn: 1, valueColumn: 3 }],
          },
        ],
      },
      problems: [],
    });
  });

  it('skips comments that start a line (after blanks) and keeps # and ; inside values', () => {
    const { document, problems } = parse(
      '# a',
      '  ; b',
      '\t#c',
      'Location=#signature',
      'Lib=C:/PKCS#11;x.dll',
      '   ',
    );
    expect(problems).toEqual([]);
    expect(document.global.map((e) => [e.key, e.value])).toEqual([
      ['Location', '#signature'],
      ['Lib', 'C:/PKCS#11;x.dll'],
    ]);
  });

  it('splits lines on LF and CRLF and keeps a lone CR in the value', () => {
    const { document } = parseIni('A=1\r\nB=2\nC=3\r4', 'd.ini');
    expect(document.global.map((e) => [e.key, e.value, e.line])).toEqual([
      ['A', '1', 1],
      ['B', '2', 2],
      ['C', '3\r4', 3],
    ]);
    // An empty value before CRLF starts right after the = sign, not past the CR.
    expect(parseIni('A=\r\nB=1', 'd.ini').document.global[0]).toEqual({
      key: 'A',
      value: '',
      line: 1,
      keyColumn: 1,
      valueColumn: 3,
    });
  });

  it('drops a leading byte-order mark only', () => {
    const { document, problems } = parseIni('\uFEFFA=x\uFEFFy', 'd.ini');
    expect(problems).toEqual([]);
    expect(document.global).toEqual([{ key: 'A', value: 'x\uFEFFy', line: 1, keyColumn: 1, valueColumn: 3 }]);
    expect(parseIni('A=x\uFEFFy', 'd.ini').document.global[0]?.value).toBe('x\uFEFFy');
  });

  it('trims the blanks inside and around a section header', () => {
    const { document, problems } = parse('  [ App ]  ', 'K=v');
    expect(problems).toEqual([]);
    expect(document.sections).toEqual([
      { name: 'App', line: 1, entries: [{ key: 'K', value: 'v', line: 2, keyColumn: 1, valueColumn: 3 }] },
    ]);
  });

  it('refuses a bad section header, pointing at it, and drops the keys under it', () => {
    const message = 'a section header is [Name] (letters, digits, _ . -) alone on its line [INI_BAD_SECTION]';
    for (const header of ['[A B]', '[A/B]', '[]', '[ ]', '[App', '[App] x', '[App]]', '[App]#c']) {
      const { document, problems } = parse('K=1', `  ${header}`, 'K=2');
      expect(problems, header).toEqual([`d.ini:2:3: ${message}`]);
      expect(document.sections, header).toEqual([]);
      expect(
        document.global.map((e) => e.value),
        header,
      ).toEqual(['1']);
    }
  });

  it('refuses a repeated section, naming the line of the last one, and drops its keys', () => {
    const { document, problems } = parse('[A]', 'K=1', '[B]', '[A]', 'K=2', '[A]', 'J=3');
    expect(problems).toEqual([
      'd.ini:4:1: section [A] already started on line 1 [INI_DUPLICATE_SECTION]',
      'd.ini:6:1: section [A] already started on line 4 [INI_DUPLICATE_SECTION]',
    ]);
    expect(document.sections.map((s) => [s.name, s.line, s.entries.map((e) => e.value)])).toEqual([
      ['A', 1, ['1']],
      ['B', 3, []],
    ]);
  });

  it('refuses a line without =, pointing at its first character', () => {
    expect(parse('[A]', '   just words').problems).toEqual([
      'd.ini:2:4: expected key=value, a [Section], a comment or a blank line [INI_EXPECTED_KEY_VALUE]',
    ]);
  });

  it('takes key names of a letter then letters, digits, _ . - and refuses others', () => {
    expect(parse('a.b-c_1=x', 'Z=y').problems).toEqual([]);
    for (const key of ['1a', '_a', 'x y', 'a/b', 'a$', '']) {
      expect(parse(` ${key}=x`).problems, key).toEqual([
        `d.ini:1:2: '${key}' is not a key name [INI_BAD_KEY]`,
      ]);
    }
  });

  it('refuses a repeated key within a section and keeps the first value', () => {
    const { document, problems } = parse('[A]', 'K=1', ' K = 2');
    expect(problems).toEqual(['d.ini:3:2: K is already set on line 2 [INI_DUPLICATE_KEY]']);
    expect(document.sections[0]?.entries.map((e) => e.value)).toEqual(['1']);
  });

  it('takes the same key once encoding-wide and once in each section', () => {
    const { document, problems } = parse('K=0', '[A]', 'K=1', '[B]', 'K=2');
    expect(problems).toEqual([]);
    expect(document.global.map((e) => e.value)).toEqual(['0']);
    expect(document.sections.map((s) => s.entries.map((e) => e.value))).toEqual([['1'], ['2']]);
  });

  it('does not count keys under a bad header against the next section', () => {
    expect(parse('[A]', 'K=1', '[bad x]', 'K=2', '[B]', 'K=3').problems).toEqual([
      'd.ini:3:1: a section header is [Name] (letters, digits, _ . -) alone on its line [INI_BAD_SECTION]',
    ]);
    expect(parse('[bad x]', 'K=1', 'K=2').problems).toEqual([
      'd.ini:1:1: a section header is [Name] (letters, digits, _ . -) alone on its line [INI_BAD_SECTION]',
      'd.ini:3:1: K is already set on line 2 [INI_DUPLICATE_KEY]',
    ]);
  });

  it('keeps keys after a repeated section apart from those of the first one', () => {
    expect(parse('[A]', 'K=1', '[A]', 'K=2', 'K=3').problems).toEqual([
      'd.ini:3:1: section [A] already started on line 1 [INI_DUPLICATE_SECTION]',
      'd.ini:5:1: K is already set on line 4 [INI_DUPLICATE_KEY]',
    ]);
  });
});

describe('printIni', () => {
  const entry = (key: string, value: string) => ({ key, value, line: 0, keyColumn: 0, valueColumn: 0 });

  it('prints encoding-wide keys, then each section, one blank line apart', () => {
    const document: IniDocument = {
      file: 'd.ini',
      global: [entry('A', '1'), entry('B', '')],
      sections: [
        { name: 'S', line: 0, entries: [entry('K', 'v w')] },
        { name: 'T', line: 0, entries: [] },
      ],
    };
    expect(printIni(document)).toBe('A=1\nB=\n\n[S]\nK=v w\n\n[T]\n');
  });

  it('prints nothing for an empty document and no blank line before a first section', () => {
    expect(printIni({ file: 'd.ini', global: [], sections: [] })).toBe('');
    expect(
      printIni({ file: 'd.ini', global: [], sections: [{ name: 'S', line: 0, entries: [entry('K', 'v')] }] }),
    ).toBe('[S]\nK=v\n');
  });
});
