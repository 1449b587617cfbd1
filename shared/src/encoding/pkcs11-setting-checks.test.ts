import { describe, expect, it } from 'vitest';
import type { Setting } from './encoding-model';
import { parseEncoding } from './encoding-parser';
import { checkPkcs11Settings } from './pkcs11-setting-checks';

const problems = (...lines: string[]) =>
  parseEncoding(['ApplicationList=P', '[P]', ...lines].join('\n'), 'e.ini').problems.map((p) => p.describe());

describe('PKCS#11 settings caught at validate time', () => {
  it('refuses a module name with a comment written after it, pointing at the #', () => {
    expect(
      problems('PKCS11Library=eTPKCS11.dll# this does *not* support the signature slot!', 'SetPin=true'),
    ).toEqual([
      'e.ini:3:27: PKCS11Library: expected a module file name or path (.dll, .so, .dylib); # and ; start a comment only at the start of a line — put the comment on its own line [ENCODING_BAD_VALUE]',
    ]);
    expect(problems('PKCS11Library=softhsm', 'SetPin=true')).toEqual([
      'e.ini:3:15: PKCS11Library: expected a module file name or path ending in .dll, .so or .dylib [ENCODING_BAD_VALUE]',
    ]);
  });

  it('accepts module names and paths, # in a folder included', () => {
    for (const library of [
      'PKCS11Library=eTPKCS11.dll',
      'PKCS11Library=/usr/lib/softhsm/libsofthsm2.so',
      'PKCS11Library=/usr/lib/libeTPKCS11.so.10',
      'PKCS11Library=C:/Program Files (x86)/Gemalto/IDGo 800 PKCS#11/IDPrimePKCS11.dll',
    ])
      expect(problems(library, 'SetPin=true'), library).toEqual([]);
  });

  it('requires a 24-byte new PUK on Gemalto modules only (Gemalto guide)', () => {
    expect(problems('PKCS11Library=eTPKCS11.dll', 'Puk=x', 'NewPuk=1234')).toEqual([
      'e.ini:5:8: [P] NewPuk: a new PUK on a Gemalto module must be 24 bytes (Gemalto guide) [ENCODING_BAD_VALUE]',
    ]);
    expect(problems('PKCS11Library=eTPKCS11.dll', 'Puk=x', 'NewPuk=123456789012345678901234')).toEqual([]);
    expect(problems('PKCS11Library=other.dll', 'Puk=x', 'NewPuk=1234')).toEqual([]);
  });

  it('checks token labels against CK_TOKEN_INFO and literal certificates for base64 DER', () => {
    expect(problems('PKCS11Library=x.dll', 'InitToken=true', `TokenLabel=${'x'.repeat(33)}`)).toEqual([
      'e.ini:5:12: TokenLabel: a token label is at most 32 bytes (PKCS#11 CK_TOKEN_INFO) [ENCODING_BAD_VALUE]',
    ]);
    expect(problems('PKCS11Library=x.dll', 'Pin=1', 'Certificate=bm90IGEgY2VydA==')).toEqual([
      'e.ini:5:13: Certificate: expected base64 of a DER certificate [ENCODING_BAD_VALUE]',
    ]);
    expect(problems('PKCS11Library=x.dll', 'Pin=1', 'Certificate=MIIB')).toEqual([]);
  });

  it('checks a batch card AID is 5 to 16 bytes', () => {
    expect(problems('PKCS11Library=x.dll', 'LicenseAction=ensure', 'BatchCardAid=A000')).toEqual([
      'e.ini:5:14: BatchCardAid: expected 5 to 16 bytes, got 2 [ENCODING_BAD_VALUE]',
    ]);
    expect(
      problems('PKCS11Library=x.dll', 'LicenseAction=ensure', 'BatchCardAid=A0000003634D574C01'),
    ).toEqual([]);
  });

  it('takes ?prompt on PKCS#11 PIN keys only, and a prompted current PIN only with its new one', () => {
    expect(problems('PKCS11Library=x.dll', 'SignaturePin=?prompt', 'NewSignaturePin=?prompt')).toEqual([]);
    expect(problems('PKCS11Library=x.dll', 'NewPin=?prompt', 'PromptPinRule=[0-9]{4,8}')).toEqual([]);
    expect(problems('PKCS11Library=x.dll', 'Pin=?prompt', 'NewPin=${NEW}')).toEqual([
      'e.ini:4:5: [P] Pin=?prompt asks the current value in a change dialog: set NewPin=?prompt too [ENCODING_PROMPT_UNPAIRED]',
    ]);
    expect(problems('PKCS11Library=x.dll', 'NewPin=1', 'TokenLabel=?prompt')).toEqual([
      'e.ini:5:12: TokenLabel: ?prompt is for the PIN and PUK keys of PKCS#11 applications [ENCODING_BAD_VALUE]',
    ]);
    expect(problems('PKCS11Library=x.dll', 'NewPin=?prompt', 'PromptPinRule=[0-9')).toEqual([
      'e.ini:5:15: PromptPinRule: expected a regular expression (the whole PIN must match it) [ENCODING_BAD_VALUE]',
    ]);
  });
});

type Value = Setting['value'];
const literal = (text: string): Value => ({ kind: 'literal', text });
const prompt: Value = { kind: 'prompt' };
const field = (name: string): Value => ({ kind: 'field', name });

/** Settings at line = their position + 10, column 7, and what checkPkcs11Settings reports for them. */
function check(values: Record<string, Value>): string[] {
  const settings: Record<string, Setting> = {};
  Object.entries(values).forEach(([key, value], index) => {
    settings[key] = { key, value, secret: false, line: index + 10, column: 7 };
  });
  const reports: string[] = [];
  checkPkcs11Settings('App', settings, (code, message, line, column) =>
    reports.push(`${line}:${column} ${code} ${message}`),
  );
  return reports;
}

const badPuk = (line: number) =>
  `${line}:7 ENCODING_BAD_VALUE [App] NewPuk: a new PUK on a Gemalto module must be 24 bytes (Gemalto guide)`;

describe('checkPkcs11Settings', () => {
  it('reports nothing for settings that need no check', () => {
    expect(check({})).toEqual([]);
    expect(check({ PKCS11Library: literal('x.dll'), Pin: literal('1234') })).toEqual([]);
  });

  it('knows the Gemalto modules by file name on any library key, with or without .dll, in any case', () => {
    for (const [key, module] of [
      ['PKCS11Library', 'IDPrimePKCS11.dll'],
      ['PKCS11Library', 'idprimepkcs1164'],
      ['PKCS11Library', 'ETPKCS11'],
      ['PKCS11LibraryWindows32', 'C:/Windows/System32/eTPKCS11.dll'],
      ['PKCS11LibraryWindows64', 'C:\\Program Files\\Gemalto\\IDPrimePKCS1164.dll'],
    ]) {
      expect(check({ [key as string]: literal(module as string), NewPuk: literal('1234') }), module).toEqual([
        badPuk(11),
      ]);
    }
  });

  it('does not take other modules, or names around a Gemalto one, for Gemalto', () => {
    for (const module of [
      'xeTPKCS11.dll',
      'eTPKCS11.dllx',
      'eTPKCS11.so',
      'libeTPKCS11.so',
      'IDPrimePKCS1132.dll',
      'eTPKCS11.dll/other.dll',
    ]) {
      expect(check({ PKCS11Library: literal(module), NewPuk: literal('1234') }), module).toEqual([]);
    }
    expect(check({ PKCS11Library: field('LIB'), NewPuk: literal('1234') })).toEqual([]);
  });

  it('takes a new PUK of exactly 24 bytes on a Gemalto module, counted in UTF-8', () => {
    const gemalto = { PKCS11Library: literal('eTPKCS11.dll') };
    expect(check({ ...gemalto, NewPuk: literal('x'.repeat(24)) })).toEqual([]);
    expect(check({ ...gemalto, NewPuk: literal('é'.repeat(12)) })).toEqual([]);
    expect(check({ ...gemalto, NewPuk: literal('x'.repeat(23)) })).toEqual([badPuk(11)]);
    expect(check({ ...gemalto, NewPuk: literal('x'.repeat(25)) })).toEqual([badPuk(11)]);
    expect(check({ ...gemalto, NewPuk: literal('é'.repeat(24)) })).toEqual([badPuk(11)]);
  });

  it('leaves a new PUK from a job field or the station to run time', () => {
    const gemalto = { PKCS11Library: literal('eTPKCS11.dll') };
    expect(check({ ...gemalto, NewPuk: field('PUK') })).toEqual([]);
    expect(check({ ...gemalto, Puk: prompt, NewPuk: prompt })).toEqual([]);
  });

  it('takes a token label of 32 bytes and refuses 33, counted in UTF-8', () => {
    const tooLong =
      '10:7 ENCODING_BAD_VALUE TokenLabel: a token label is at most 32 bytes (PKCS#11 CK_TOKEN_INFO)';
    expect(check({ TokenLabel: literal('x'.repeat(32)) })).toEqual([]);
    expect(check({ TokenLabel: literal('é'.repeat(16)) })).toEqual([]);
    expect(check({ TokenLabel: literal('x'.repeat(33)) })).toEqual([tooLong]);
    expect(check({ TokenLabel: literal('é'.repeat(17)) })).toEqual([tooLong]);
    expect(check({ TokenLabel: field('LABEL') })).toEqual([]);
  });

  it('takes base64 that starts a DER SEQUENCE as a certificate, on both certificate keys', () => {
    for (const der of ['MIIB', 'MA==', 'MIA=', 'MIIB\n AAAA', 'MIIBAA+/']) {
      expect(check({ Certificate: literal(der), CaCertificate: literal(der) }), der).toEqual([]);
    }
    expect(check({ Certificate: field('CERT'), CaCertificate: field('CA') })).toEqual([]);
  });

  it('refuses certificates that are not base64 or not DER, naming the key', () => {
    for (const bad of ['QUJD', 'MIIBx', 'MII', 'M===', 'MIIB====', '-MIIB', 'MIIB-', 'MI*B', '', '=MIB']) {
      expect(check({ Certificate: literal(bad), CaCertificate: literal(bad) }), bad).toEqual([
        '10:7 ENCODING_BAD_VALUE Certificate: expected base64 of a DER certificate',
        '11:7 ENCODING_BAD_VALUE CaCertificate: expected base64 of a DER certificate',
      ]);
    }
  });

  it('refuses each prompted current PIN or PUK without its prompted new value, pointing at it', () => {
    for (const [current, next] of [
      ['Pin', 'NewPin'],
      ['Puk', 'NewPuk'],
      ['SignaturePin', 'NewSignaturePin'],
      ['SignaturePuk', 'NewSignaturePuk'],
    ] as const) {
      const unpaired = `10:7 ENCODING_PROMPT_UNPAIRED [App] ${current}=?prompt asks the current value in a change dialog: set ${next}=?prompt too`;
      expect(check({ [current]: prompt })).toEqual([unpaired]);
      expect(check({ [current]: prompt, [next]: literal('1234') })).toEqual([unpaired]);
      expect(check({ [current]: prompt, [next]: field('NEW') })).toEqual([unpaired]);
      expect(check({ [current]: prompt, [next]: prompt })).toEqual([]);
      expect(check({ [current]: literal('1234'), [next]: prompt })).toEqual([]);
      expect(check({ [next]: prompt })).toEqual([]);
    }
  });
});
