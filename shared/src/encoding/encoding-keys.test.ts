import { describe, expect, it } from 'vitest';
import { APPLICATION_KIND_KEYS, DEFAULT_BATCH_CARD_AID, ENCODING_KEYS } from './encoding-keys';
import { PROMPT_KEYS, PROMPTABLE_PIN_KEYS } from './prompt-keys';

// The grammar's facts per key (docs/encoding-format.md): which keys are secret decides
// what is encrypted at rest and redacted (docs/security.md), so every fact is pinned.
const EXPECTED: Record<string, unknown> = {
  ApplicationList: {
    scopes: ['encoding'],
    type: { kind: 'field-list' },
    secret: false,
    fieldReference: false,
  },
  Description: { scopes: ['encoding'], type: { kind: 'text' }, secret: false, fieldReference: false },
  Devices: { scopes: ['encoding'], type: { kind: 'text' }, secret: false, fieldReference: false },
  CardSerialField: {
    scopes: ['encoding'],
    type: { kind: 'field-name' },
    secret: false,
    fieldReference: false,
  },
  SecretFields: { scopes: ['encoding'], type: { kind: 'field-list' }, secret: false, fieldReference: false },
  ApduFile: {
    scopes: ['apdu'],
    type: { kind: 'file-name', extension: '.apdu' },
    secret: false,
    fieldReference: false,
  },
  ApduResponseCodesField: {
    scopes: ['apdu'],
    type: { kind: 'field-name' },
    secret: false,
    fieldReference: false,
  },
  CardOSApduFile: {
    scopes: ['apdu'],
    type: { kind: 'file-name', extension: '.apdu' },
    secret: false,
    fieldReference: false,
    replacedBy: 'ApduFile',
  },
  CardOSApduResponseCodesField: {
    scopes: ['apdu'],
    type: { kind: 'field-name' },
    secret: false,
    fieldReference: false,
    replacedBy: 'ApduResponseCodesField',
  },
  PKCS11Library: {
    scopes: ['pkcs11', 'license'],
    type: { kind: 'module' },
    secret: false,
    fieldReference: false,
  },
  PKCS11LibraryWindows32: {
    scopes: ['pkcs11', 'license'],
    type: { kind: 'windows-dll' },
    secret: false,
    fieldReference: false,
  },
  PKCS11LibraryWindows64: {
    scopes: ['pkcs11', 'license'],
    type: { kind: 'windows-dll' },
    secret: false,
    fieldReference: false,
  },
  InitToken: { scopes: ['pkcs11'], type: { kind: 'boolean' }, secret: false, fieldReference: false },
  SetPin: { scopes: ['pkcs11'], type: { kind: 'boolean' }, secret: false, fieldReference: false },
  TokenLabel: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: false, fieldReference: true },
  Location: {
    scopes: ['pkcs11', 'license'],
    type: { kind: 'enum', values: ['#main', '#signature'] },
    secret: false,
    fieldReference: false,
  },
  Pin: {
    scopes: ['pkcs11', 'license'],
    type: { kind: 'text' },
    secret: true,
    fieldReference: true,
    promptable: true,
  },
  NewPin: {
    scopes: ['pkcs11'],
    type: { kind: 'text' },
    secret: true,
    fieldReference: true,
    promptable: true,
  },
  Puk: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: true, fieldReference: true, promptable: true },
  NewPuk: {
    scopes: ['pkcs11'],
    type: { kind: 'text' },
    secret: true,
    fieldReference: true,
    promptable: true,
  },
  SignaturePin: {
    scopes: ['pkcs11'],
    type: { kind: 'text' },
    secret: true,
    fieldReference: true,
    promptable: true,
  },
  NewSignaturePin: {
    scopes: ['pkcs11'],
    type: { kind: 'text' },
    secret: true,
    fieldReference: true,
    promptable: true,
  },
  SignaturePuk: {
    scopes: ['pkcs11'],
    type: { kind: 'text' },
    secret: true,
    fieldReference: true,
    promptable: true,
  },
  NewSignaturePuk: {
    scopes: ['pkcs11'],
    type: { kind: 'text' },
    secret: true,
    fieldReference: true,
    promptable: true,
  },
  PromptPinRule: { scopes: ['pkcs11'], type: { kind: 'reg-exp' }, secret: false, fieldReference: false },
  PromptPinText: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: false, fieldReference: true },
  CardManagerKey: {
    scopes: ['pkcs11'],
    type: { kind: 'hex', bytes: 24 },
    secret: true,
    fieldReference: true,
  },
  NewCardManagerKey: {
    scopes: ['pkcs11'],
    type: { kind: 'hex', bytes: 24 },
    secret: true,
    fieldReference: true,
  },
  KeyPairLabel: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: false, fieldReference: true },
  KeyPairId: { scopes: ['pkcs11'], type: { kind: 'hex' }, secret: false, fieldReference: true },
  KeyType: {
    scopes: ['pkcs11'],
    type: { kind: 'enum', values: ['RSA'] },
    secret: false,
    fieldReference: false,
  },
  KeySize: {
    scopes: ['pkcs11'],
    type: { kind: 'integer', allowed: [1024, 2048] },
    secret: false,
    fieldReference: false,
  },
  PublicExponent: {
    scopes: ['pkcs11'],
    type: { kind: 'enum', values: ['010001', '0x010001'] },
    secret: false,
    fieldReference: false,
  },
  Certificate: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: false, fieldReference: true },
  CertificateLabel: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: false, fieldReference: true },
  CaCertificate: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: false, fieldReference: true },
  CaCertificateLabel: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: false, fieldReference: true },
  DeleteObjectsByLabel: { scopes: ['pkcs11'], type: { kind: 'text' }, secret: false, fieldReference: true },
  DeleteObjectsById: { scopes: ['pkcs11'], type: { kind: 'hex' }, secret: false, fieldReference: true },
  LicenseAction: {
    scopes: ['license'],
    type: { kind: 'enum', values: ['ensure', 'status'] },
    secret: false,
    fieldReference: false,
  },
  LicenseStartDate: { scopes: ['license'], type: { kind: 'date' }, secret: false, fieldReference: true },
  BatchCardAid: {
    scopes: ['license'],
    type: { kind: 'hex', range: [5, 16] },
    secret: false,
    fieldReference: false,
  },
  LicenseStatusField: {
    scopes: ['license'],
    type: { kind: 'field-name' },
    secret: false,
    fieldReference: false,
  },
};

describe('the encoding key table', () => {
  it('gives every key its scopes, value type, secrecy, reference and prompt rules', () => {
    const facts = Object.fromEntries(
      Object.entries(ENCODING_KEYS).map(([key, { description: _description, ...spec }]) => [key, spec]),
    );
    expect(facts).toEqual(EXPECTED);
    expect(Object.keys(ENCODING_KEYS)).toEqual(Object.keys(EXPECTED));
  });

  it('marks exactly the PINs, PUKs and Card Manager Keys secret', () => {
    const secret = Object.entries(ENCODING_KEYS)
      .filter(([, spec]) => spec.secret)
      .map(([key]) => key);
    expect(secret).toEqual([...Object.keys(PROMPTABLE_PIN_KEYS), 'CardManagerKey', 'NewCardManagerKey']);
  });

  it('describes every key', () => {
    for (const spec of Object.values(ENCODING_KEYS)) expect(spec.description.length).toBeGreaterThan(0);
  });

  it('includes the prompt settings of PKCS#11 applications', () => {
    for (const [key, spec] of Object.entries(PROMPT_KEYS)) expect(ENCODING_KEYS[key]).toBe(spec);
  });

  it('names the keys that decide an application kind', () => {
    expect(APPLICATION_KIND_KEYS).toEqual({
      apdu: ['ApduFile', 'CardOSApduFile'],
      license: ['LicenseAction'],
      pkcs11: [
        'InitToken',
        'SetPin',
        'NewPin',
        'NewPuk',
        'NewSignaturePin',
        'NewSignaturePuk',
        'NewCardManagerKey',
        'KeyPairLabel',
        'Certificate',
        'CaCertificate',
        'DeleteObjectsByLabel',
        'DeleteObjectsById',
      ],
    });
  });

  it('defaults the batch card AID to the Idopte license application', () => {
    expect(DEFAULT_BATCH_CARD_AID).toBe('A0000003634D574C01');
  });
});
