import type { LicenseStatus } from '@cardfleet/shared';
import type { SlotFlags, TokenFlags, UserType } from './token-flags';

/**
 * The agent's view of a PKCS#11 module (the port its adapter pkcs11js-module.ts fills), after the operations
 * the token-interface seed lists: module info, slots, slots with a token, token info,
 * certificates, sign, verify — plus what encodings need (login, key generation).
 * Slot ids are the decimal CK_SLOT_ID.
 */
export interface ModuleDetails {
  path: string;
  cryptokiVersion: string;
  manufacturer: string;
  description: string;
  libraryVersion: string;
}

export interface SlotDetails {
  id: string;
  description: string;
  manufacturer: string;
  flags: SlotFlags;
  /** Every set flag by name, unknown bits included (token-flags.ts slotFlagNames). */
  flagNames: string[];
}

export interface TokenDetails {
  label: string;
  manufacturer: string;
  /** 16 bytes as the token gives them, right-padded with spaces (kept for licenses). */
  model: string;
  serialNumber: string;
  flags: TokenFlags;
}

export interface CertificateDetails {
  /** CKA_ID as hex. */
  id: string;
  label: string;
  /** DER, base64. */
  der: string;
}

export interface RsaKeyPairRequest {
  label: string;
  /** CKA_ID as hex. */
  id: string;
  bits: number;
  /** Public exponent, hex (010001). */
  publicExponent: string;
}

export interface TokenSession {
  /** Reads the PIN flags first; refuses a locked PIN or a final try. */
  login(userType: UserType, pin: string | Uint8Array): void;
  logout(): void;
  /** C_InitPIN: sets the user PIN (needs an SO login). */
  initPin(pin: string | Uint8Array): void;
  /** C_SetPIN: changes the PIN of whoever is logged in (user, or SO for the PUK/CMK). */
  setPin(oldPin: string | Uint8Array, newPin: string | Uint8Array): void;
  /** Destroys every object with this CKA_LABEL or CKA_ID (hex); returns how many. */
  deleteObjects(match: { label?: string; id?: string }): number;
  /** Idopte license: C_SetAttributeValue(NULL handle, 0x8000006A, 128 bytes); needs the user login. */
  loadLicense(license: Uint8Array): void;
  /** Idopte license status: C_GetAttributeValue(NULL handle, 0x8000006A), 19 bytes decoded. */
  licenseStatus(): LicenseStatus;
  /** Whether a certificate with exactly these DER bytes is on the token. */
  hasCertificate(der: Uint8Array): boolean;
  certificates(): CertificateDetails[];
  generateRsaKeyPair(request: RsaKeyPairRequest): void;
  /** Writes an X.509 certificate object (CKO_CERTIFICATE, CKC_X_509) on the token. */
  writeCertificate(certificate: { id: string; label: string; der: Uint8Array; ca: boolean }): void;
  /** RSA PKCS#1 v1.5 with SHA-256 (CKM_SHA256_RSA_PKCS) by the private key with this CKA_ID. */
  sign(keyId: string, data: Uint8Array): Uint8Array;
  verify(keyId: string, data: Uint8Array, signature: Uint8Array): boolean;
  close(): void;
}

export interface TokenModule {
  readonly path: string;
  info(): ModuleDetails;
  slots(tokenPresent: boolean): SlotDetails[];
  tokenInfo(slot: string): TokenDetails;
  openSession(slot: string, readWrite: boolean): TokenSession;
  /** C_InitToken; the SO credential may be bytes (a Card Manager Key). */
  initToken(slot: string, soPin: string | Uint8Array, label: string): void;
}
