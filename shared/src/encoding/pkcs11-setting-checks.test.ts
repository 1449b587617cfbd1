import { describe, expect, it } from 'vitest';
import { parseEncoding } from './encoding-parser';

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
