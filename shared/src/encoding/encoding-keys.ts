import type { KeySpec, ValueType } from './key-spec';
import { PROMPT_KEYS } from './prompt-keys';

/**
 * Every key an encoding description may contain, with where it may appear, how its
 * value is checked and whether it is secret. Secret keys are encrypted at rest by the
 * cloud and redacted everywhere else; a job field referenced by a secret key is
 * secret too. docs/encoding-format.md is generated from the same facts by hand —
 * keep them in step.
 */
export type { KeyScope, KeySpec, ValueType } from './key-spec';

const text = { kind: 'text' } as const;
const bool = { kind: 'boolean' } as const;
const secretPin: Omit<KeySpec, 'description'> = {
  scopes: ['pkcs11'],
  type: text,
  secret: true,
  fieldReference: true,
  promptable: true,
};
const cmk: Omit<KeySpec, 'description'> = {
  scopes: ['pkcs11'],
  // The Gemalto seed: "The CMK must always be a sequence of 24 bytes … hex values".
  type: { kind: 'hex', bytes: 24 },
  secret: true,
  fieldReference: true,
};
const library = (description: string, type: ValueType = text): KeySpec => ({
  scopes: ['pkcs11', 'license'],
  type,
  secret: false,
  fieldReference: false,
  description,
});

export const ENCODING_KEYS: Readonly<Record<string, KeySpec>> = {
  // Encoding-wide keys (before the first [Section]).
  ApplicationList: {
    scopes: ['encoding'],
    type: { kind: 'field-list' },
    secret: false,
    fieldReference: false,
    description: 'comma-separated application section names, in execution order',
  },
  Description: {
    scopes: ['encoding'],
    type: text,
    secret: false,
    fieldReference: false,
    description: 'free text',
  },
  Devices: {
    scopes: ['encoding'],
    type: text,
    secret: false,
    fieldReference: false,
    description: 'Smart ID device mask, kept for compatibility',
  },
  CardSerialField: {
    scopes: ['encoding'],
    type: { kind: 'field-name' },
    secret: false,
    fieldReference: false,
    description: 'output field of an APDU script that holds the card serial (defined by cardfleet)',
  },
  SecretFields: {
    scopes: ['encoding'],
    type: { kind: 'field-list' },
    secret: false,
    fieldReference: false,
    description: 'job fields whose values are secret (redacted, encrypted to the agent)',
  },

  // APDU applications (APDU seed).
  ApduFile: {
    scopes: ['apdu'],
    type: { kind: 'file-name', extension: '.apdu' },
    secret: false,
    fieldReference: false,
    description: 'the .apdu script in the bundle',
  },
  ApduResponseCodesField: {
    scopes: ['apdu'],
    type: { kind: 'field-name' },
    secret: false,
    fieldReference: false,
    description: 'output field receiving the response codes',
  },
  CardOSApduFile: {
    scopes: ['apdu'],
    type: { kind: 'file-name', extension: '.apdu' },
    secret: false,
    fieldReference: false,
    replacedBy: 'ApduFile',
    description: 'legacy spelling (before Smart ID 20.11)',
  },
  CardOSApduResponseCodesField: {
    scopes: ['apdu'],
    type: { kind: 'field-name' },
    secret: false,
    fieldReference: false,
    replacedBy: 'ApduResponseCodesField',
    description: 'legacy spelling (before Smart ID 20.11)',
  },

  // PKCS#11 applications (Gemalto seed).
  PKCS11Library: library('PKCS#11 module name or path (mapped by the agent)', { kind: 'module' }),
  PKCS11LibraryWindows32: library('32-bit Windows DLL path (mapped by the agent)', { kind: 'windows-dll' }),
  PKCS11LibraryWindows64: library('64-bit Windows DLL path (mapped by the agent)', { kind: 'windows-dll' }),
  InitToken: {
    scopes: ['pkcs11'],
    type: bool,
    secret: false,
    fieldReference: false,
    description: 'C_InitToken with the Card Manager Key as SO credential',
  },
  SetPin: {
    scopes: ['pkcs11'],
    type: bool,
    secret: false,
    fieldReference: false,
    description: 'set the user PIN without re-initialising (cards with a signature slot)',
  },
  TokenLabel: {
    scopes: ['pkcs11'],
    type: text,
    secret: false,
    fieldReference: true,
    description: 'token label for InitToken',
  },
  Location: {
    scopes: ['pkcs11', 'license'],
    type: { kind: 'enum', values: ['#main', '#signature'] },
    secret: false,
    fieldReference: false,
    description: '#signature targets the signature slot',
  },
  Pin: { ...secretPin, scopes: ['pkcs11', 'license'], description: 'current user PIN' },
  NewPin: { ...secretPin, description: 'new user PIN' },
  Puk: { ...secretPin, description: 'current PUK / SO PIN (Gemalto: use CardManagerKey instead)' },
  NewPuk: { ...secretPin, description: 'new PUK / SO PIN' },
  SignaturePin: { ...secretPin, description: 'current signature-slot PIN (factory 000000)' },
  NewSignaturePin: { ...secretPin, description: 'new signature-slot PIN' },
  SignaturePuk: { ...secretPin, description: 'current signature-slot PUK (factory 000000)' },
  NewSignaturePuk: { ...secretPin, description: 'new signature-slot PUK' },
  ...PROMPT_KEYS,
  CardManagerKey: { ...cmk, description: 'current Card Manager Key, 24 bytes as 48 hex digits' },
  NewCardManagerKey: { ...cmk, description: 'new Card Manager Key, 24 bytes as 48 hex digits' },
  KeyPairLabel: {
    scopes: ['pkcs11'],
    type: text,
    secret: false,
    fieldReference: true,
    description: 'generate an RSA key pair with this label',
  },
  KeyPairId: {
    scopes: ['pkcs11'],
    type: { kind: 'hex' },
    secret: false,
    fieldReference: true,
    description: 'CKA_ID of the generated key pair',
  },
  KeyType: {
    scopes: ['pkcs11'],
    type: { kind: 'enum', values: ['RSA'] },
    secret: false,
    fieldReference: false,
    description: 'only RSA',
  },
  // Gemalto seed: "the only supported key size values are 1024 and 2048 bits".
  KeySize: {
    scopes: ['pkcs11'],
    type: { kind: 'integer', allowed: [1024, 2048] },
    secret: false,
    fieldReference: false,
    description: 'RSA modulus bits',
  },
  // Gemalto seed: "the only value supported for the public exponent is 0x010001".
  PublicExponent: {
    scopes: ['pkcs11'],
    type: { kind: 'enum', values: ['010001', '0x010001'] },
    secret: false,
    fieldReference: false,
    description: 'RSA public exponent',
  },
  Certificate: {
    scopes: ['pkcs11'],
    type: text,
    secret: false,
    fieldReference: true,
    description: 'user certificate, base64 DER',
  },
  CertificateLabel: {
    scopes: ['pkcs11'],
    type: text,
    secret: false,
    fieldReference: true,
    description: 'label of the user certificate',
  },
  CaCertificate: {
    scopes: ['pkcs11'],
    type: text,
    secret: false,
    fieldReference: true,
    description: 'CA certificate, base64 DER (skipped when already on the card)',
  },
  CaCertificateLabel: {
    scopes: ['pkcs11'],
    type: text,
    secret: false,
    fieldReference: true,
    description: 'label of the CA certificate',
  },
  DeleteObjectsByLabel: {
    scopes: ['pkcs11'],
    type: text,
    secret: false,
    fieldReference: true,
    description: 'delete every object with this label',
  },
  DeleteObjectsById: {
    scopes: ['pkcs11'],
    type: { kind: 'hex' },
    secret: false,
    fieldReference: true,
    description: 'delete every object with this CKA_ID',
  },

  // License applications (Idopte license seed).
  LicenseAction: {
    scopes: ['license'],
    type: { kind: 'enum', values: ['ensure', 'status'] },
    secret: false,
    fieldReference: false,
    description: 'ensure: check, generate on the batch card when needed, load; status: only read',
  },
  LicenseStartDate: {
    scopes: ['license'],
    type: { kind: 'date' },
    secret: false,
    fieldReference: true,
    description: 'YYYYMMDD, or "today"',
  },
  BatchCardAid: {
    scopes: ['license'],
    type: { kind: 'hex', range: [5, 16] }, // an AID is 5 to 16 bytes (ISO/IEC 7816-4 §8.2.1.2)
    secret: false,
    fieldReference: false,
    description: 'AID that identifies the batch card (default A0000003634D574C01)',
  },
  LicenseStatusField: {
    scopes: ['license'],
    type: { kind: 'field-name' },
    secret: false,
    fieldReference: false,
    description: 'output field receiving the decoded status (JSON)',
  },
};

export const APPLICATION_KIND_KEYS: Readonly<Record<'apdu' | 'pkcs11' | 'license', readonly string[]>> = {
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
};

export const DEFAULT_BATCH_CARD_AID = 'A0000003634D574C01';
