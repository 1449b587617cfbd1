import { describe, expect, it } from 'vitest';
import { checkSettingValue, isCalendarDate, moduleCommentOffset } from './setting-value-check';

describe('checkSettingValue', () => {
  it('takes any text', () => {
    expect(checkSettingValue({ kind: 'text' }, '')).toBeUndefined();
    expect(checkSettingValue({ kind: 'text' }, '#;=?')).toBeUndefined();
  });

  it('takes true, false, 1 and 0 in any case as booleans, and nothing around them', () => {
    for (const good of ['true', 'FALSE', 'True', '1', '0']) {
      expect(checkSettingValue({ kind: 'boolean' }, good)).toBeUndefined();
    }
    for (const bad of ['yes', 'truex', 'xtrue', '10', '01', '', ' 1']) {
      expect(checkSettingValue({ kind: 'boolean' }, bad)).toBe('expected true, false, 1 or 0');
    }
  });

  it('takes decimal digits as an integer, and only the allowed values when listed', () => {
    expect(checkSettingValue({ kind: 'integer' }, '0')).toBeUndefined();
    expect(checkSettingValue({ kind: 'integer' }, '1234567')).toBeUndefined();
    for (const bad of ['', '-1', '1.5', 'x1', '1x', '0x10']) {
      expect(checkSettingValue({ kind: 'integer' }, bad)).toBe('expected a decimal number');
    }
    const sizes = { kind: 'integer', allowed: [1024, 2048] } as const;
    expect(checkSettingValue(sizes, '2048')).toBeUndefined();
    expect(checkSettingValue(sizes, '01024')).toBeUndefined();
    expect(checkSettingValue(sizes, '4096')).toBe('allowed values are 1024, 2048');
    expect(checkSettingValue(sizes, 'big')).toBe('expected a decimal number');
  });

  it('takes whole hex bytes, whitespace ignored', () => {
    expect(checkSettingValue({ kind: 'hex' }, 'a0B1')).toBeUndefined();
    expect(checkSettingValue({ kind: 'hex' }, ' A0 b1\t\nC2 ')).toBeUndefined();
    for (const bad of ['', 'A', 'A0B', 'G0', 'A0G1', 'xA0', 'A0x', '0xA0']) {
      expect(checkSettingValue({ kind: 'hex' }, bad)).toBe('expected an even number of hex digits');
    }
  });

  it('takes exactly the fixed number of hex bytes', () => {
    const key = { kind: 'hex', bytes: 2 } as const;
    expect(checkSettingValue(key, 'A0B1')).toBeUndefined();
    expect(checkSettingValue(key, 'A0 B1')).toBeUndefined();
    expect(checkSettingValue(key, 'A0')).toBe('expected exactly 2 bytes (4 hex digits), got 2 digits');
    expect(checkSettingValue(key, 'A0B1C2')).toBe('expected exactly 2 bytes (4 hex digits), got 6 digits');
  });

  it('takes hex bytes within the range, both ends included', () => {
    const aid = { kind: 'hex', range: [5, 16] } as const;
    expect(checkSettingValue(aid, '00'.repeat(5))).toBeUndefined();
    expect(checkSettingValue(aid, '00'.repeat(16))).toBeUndefined();
    expect(checkSettingValue(aid, '00'.repeat(4))).toBe('expected 5 to 16 bytes, got 4');
    expect(checkSettingValue(aid, '00'.repeat(17))).toBe('expected 5 to 16 bytes, got 17');
  });

  it('takes one of the enum values exactly', () => {
    const location = { kind: 'enum', values: ['#main', '#signature'] } as const;
    expect(checkSettingValue(location, '#signature')).toBeUndefined();
    expect(checkSettingValue(location, '#Signature')).toBe('expected one of #main, #signature');
    expect(checkSettingValue(location, 'main')).toBe('expected one of #main, #signature');
  });

  it('takes a field name', () => {
    expect(checkSettingValue({ kind: 'field-name' }, 'SERIAL_1')).toBeUndefined();
    expect(checkSettingValue({ kind: 'field-name' }, '1SERIAL')).toBe(
      'expected a field name (letters, digits, _)',
    );
    expect(checkSettingValue({ kind: 'field-name' }, 'A-B')).toBe(
      'expected a field name (letters, digits, _)',
    );
  });

  it('takes a comma-separated list of names, blanks around them allowed, and names the first bad one', () => {
    const list = { kind: 'field-list' } as const;
    expect(checkSettingValue(list, 'A')).toBeUndefined();
    expect(checkSettingValue(list, 'A, B_2 ,C')).toBeUndefined();
    expect(checkSettingValue(list, 'A, 2B , C-D')).toBe("'2B' is not a name (letters, digits, _)");
    expect(checkSettingValue(list, 'A,,B')).toBe("'' is not a name (letters, digits, _)");
  });

  it('takes a file name with the extension, in any case, without folders or a leading dot', () => {
    const apdu = { kind: 'file-name', extension: '.apdu' } as const;
    expect(checkSettingValue(apdu, 'perso.apdu')).toBeUndefined();
    expect(checkSettingValue(apdu, 'PERSO.APDU')).toBeUndefined();
    const folders = 'expected a file name inside the bundle, without folders';
    expect(checkSettingValue(apdu, 'dir/perso.apdu')).toBe(folders);
    expect(checkSettingValue(apdu, 'dir\\perso.apdu')).toBe(folders);
    expect(checkSettingValue(apdu, '.perso.apdu')).toBe(folders);
    expect(checkSettingValue(apdu, '..apdu')).toBe(folders);
    expect(checkSettingValue(apdu, 'perso.apdu.txt')).toBe('the file must end with .apdu');
    expect(checkSettingValue(apdu, '.apdu.perso')).toBe(folders);
    expect(checkSettingValue(apdu, 'apdu.perso')).toBe('the file must end with .apdu');
  });

  it('takes a Windows DLL as a drive path or a bare name', () => {
    const dll = { kind: 'windows-dll' } as const;
    for (const good of [
      'C:/Windows/System32/eTPKCS11.dll',
      'c:\\P\\x.DLL',
      'x.dll',
      'IDGo 800 PKCS#11.dll',
    ]) {
      expect(checkSettingValue(dll, good)).toBeUndefined();
    }
    for (const bad of [
      'cC:/Windows/x.dll',
      'C:/x.dll.bak',
      'x.so',
      'C:x.dll',
      'dir/x.dll',
      'C:/a:b.dll',
      '.dll.',
    ]) {
      expect(checkSettingValue(dll, bad)).toBe(
        'expected a Windows DLL path like C:/…/name.dll or a DLL name',
      );
    }
  });

  it('takes a module file name or path ending in .dll, .so, a versioned .so or .dylib', () => {
    const module = { kind: 'module' } as const;
    for (const good of [
      'eTPKCS11.dll',
      'libeTPkcs11.so',
      'libidprimepkcs11.so.1.2',
      '/usr/lib/libx.so.3',
      'libx.dylib',
      'C:\\IDGo 800 PKCS#11\\x.DLL',
      '/opt/a#b/libx.SO',
    ]) {
      expect(checkModuleNameOf(good)).toBeUndefined();
    }
    const ending = 'expected a module file name or path ending in .dll, .so or .dylib';
    for (const bad of [
      'libx.so.',
      'libx.so.a',
      'libx.dll.bak',
      'libx',
      '.so',
      'dir/',
      'x.dylibx',
      'lib:x.so',
    ]) {
      expect(checkModuleNameOf(bad)).toBe(ending);
    }
    const comment =
      'expected a module file name or path (.dll, .so, .dylib); # and ; start a comment only at the start of a line — put the comment on its own line';
    expect(checkModuleNameOf('eTPKCS11.dll# the eToken module')).toBe(comment);
    expect(checkModuleNameOf('eTPKCS11.dll;x')).toBe(comment);
    expect(checkModuleNameOf('#x.dll')).toBe(comment);
    function checkModuleNameOf(value: string) {
      return checkSettingValue(module, value);
    }
  });

  it('takes an RE2 rule and refuses lookaround', () => {
    expect(checkSettingValue({ kind: 'reg-exp' }, '[0-9]{4,}')).toBeUndefined();
    expect(checkSettingValue({ kind: 'reg-exp' }, '(?=x)[0-9]{4}')).toBe(
      'expected a regular expression (the whole PIN must match it)',
    );
  });

  it('takes a calendar date or today', () => {
    expect(checkSettingValue({ kind: 'date' }, 'today')).toBeUndefined();
    expect(checkSettingValue({ kind: 'date' }, '20240229')).toBeUndefined();
    for (const bad of ['Today', '20230229', '2024022', 'tomorrow']) {
      expect(checkSettingValue({ kind: 'date' }, bad)).toBe('expected YYYYMMDD or today');
    }
  });
});

describe('moduleCommentOffset', () => {
  it('points at the first # or ; of the file name', () => {
    expect(moduleCommentOffset('eTPKCS11.dll# comment')).toBe(12);
    expect(moduleCommentOffset('x.dll;y#z')).toBe(5);
    expect(moduleCommentOffset('C:/IDGo 800 PKCS#11/x.dll#c')).toBe(25);
    expect(moduleCommentOffset('C:\\IDGo 800 PKCS#11\\x.dll;c')).toBe(25);
    expect(moduleCommentOffset('a/b\\c#')).toBe(5);
    expect(moduleCommentOffset('a\\b/c#')).toBe(5);
  });

  it('is 0 without a mark in the file name', () => {
    expect(moduleCommentOffset('C:/IDGo 800 PKCS#11/x.dll')).toBe(0);
    expect(moduleCommentOffset('x.dll')).toBe(0);
  });
});

describe('isCalendarDate', () => {
  it('takes existing days only, leap days included', () => {
    expect(isCalendarDate('20260101')).toBe(true);
    expect(isCalendarDate('20261231')).toBe(true);
    expect(isCalendarDate('20240229')).toBe(true);
    expect(isCalendarDate('20000229')).toBe(true);
    for (const bad of ['20230229', '19000229', '20260230', '20261301', '20260001', '20260100', '20260132']) {
      expect(isCalendarDate(bad)).toBe(false);
    }
  });

  it('takes exactly eight digits', () => {
    for (const bad of ['2026010', '202601011', 'x20260101', '20260101x', '2026-01-01', '']) {
      expect(isCalendarDate(bad)).toBe(false);
    }
  });
});
