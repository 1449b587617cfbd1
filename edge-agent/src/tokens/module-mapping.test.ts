import { parseEncoding } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { resolveModulePath } from './module-mapping';

const app = (lines: string) => {
  const { encoding, problems } = parseEncoding(`ApplicationList=A\n[A]\n${lines}\nInitToken=true\n`, 'e.ini');
  if (!encoding?.applications[0]) throw new Error(problems.map((p) => p.describe()).join('\n'));
  return encoding.applications[0];
};

describe('PKCS#11 module mapping', () => {
  it('maps a Windows DLL path by its file name, case-insensitively', () => {
    const a = app(
      'PKCS11LibraryWindows64=C:/Program Files (x86)/Gemalto/IDGo 800 PKCS#11/IDPrimePKCS1164.dll',
    );
    expect(resolveModulePath(a, { 'idprimepkcs1164.dll': '/usr/lib/libidprimepkcs11.so' })).toBe(
      '/usr/lib/libidprimepkcs11.so',
    );
  });

  it('prefers PKCS11Library over the Windows-specific keys', () => {
    const a = app('PKCS11Library=eTPKCS11.dll\nPKCS11LibraryWindows32=C:/x/IDPrimePKCS11.dll');
    expect(resolveModulePath(a, { 'eTPKCS11.dll': '/a.so', 'IDPrimePKCS11.dll': '/b.so' })).toBe('/a.so');
  });

  it('names the DLLs when nothing is mapped', () => {
    const a = app('PKCS11Library=eTPKCS11.dll');
    expect(() => resolveModulePath(a, {})).toThrow(
      expect.objectContaining({
        code: 'MODULE_NOT_MAPPED',
        message: expect.stringContaining('PKCS11Library=eTPKCS11.dll'),
      }),
    );
  });
});
