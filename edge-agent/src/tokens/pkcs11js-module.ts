import {
  CardfleetError,
  decodeLicenseStatus,
  LICENSE_ATTRIBUTE,
  LICENSE_DATA_LENGTH,
  parseHex,
  toHex,
} from '@cardfleet/shared';
import * as pkcs11js from 'pkcs11js';
import { assertKeyPairSupported } from './key-restrictions';
import { pkcs11Error } from './pkcs11-errors';
import { certificateTemplate, rsaKeyPairTemplates } from './pkcs11js-templates';
import {
  assertLoginAllowed,
  decodeSlotFlags,
  decodeTokenFlags,
  slotFlagNames,
  USER_TYPE_VALUE,
} from './token-flags';
import type { ModuleDetails, SlotDetails, TokenDetails, TokenModule, TokenSession } from './token-port';

/**
 * The Token port on pkcs11js. One initialised instance per module path (a module may
 * be shared by several encodings and readers); CKR_CRYPTOKI_ALREADY_INITIALIZED is
 * tolerated because another component of the process may have initialised it.
 * Credentials may be given as bytes: the patched binding (patches/pkcs11js+*.patch)
 * passes a Buffer to the module byte for byte.
 */
const modules = new Map<string, Pkcs11jsModule>();

/** The NULL object handle (an 8-byte zero CK_OBJECT_HANDLE): the license attribute lives there. */
const NULL_OBJECT = Buffer.alloc(8);

export function openTokenModule(path: string): TokenModule {
  let module = modules.get(path);
  if (!module) {
    module = new Pkcs11jsModule(path);
    modules.set(path, module);
  }
  return module;
}

/** Finalises every module (tests, shutdown). */
export function closeTokenModules(): void {
  for (const module of modules.values()) module.finalize();
  modules.clear();
}

const version = (v: { major: number; minor: number }) => `${v.major}.${v.minor}`;
const slotId = (handle: Buffer) => handle.readBigUInt64LE().toString();

class Pkcs11jsModule implements TokenModule {
  private readonly p11 = new pkcs11js.PKCS11();

  constructor(readonly path: string) {
    try {
      this.p11.load(path);
    } catch (cause) {
      throw new CardfleetError('MODULE_LOAD_FAILED', `cannot load the PKCS#11 module ${path}`, { cause });
    }
    try {
      this.p11.C_Initialize();
    } catch (cause) {
      if (!String((cause as Error).message).includes('CKR_CRYPTOKI_ALREADY_INITIALIZED'))
        throw pkcs11Error('C_Initialize', cause);
    }
  }

  finalize(): void {
    try {
      this.p11.C_Finalize();
      this.p11.close();
    } catch {
      // already finalised
    }
  }

  info(): ModuleDetails {
    const info = this.call('C_GetInfo', () => this.p11.C_GetInfo());
    return {
      path: this.path,
      cryptokiVersion: version(info.cryptokiVersion),
      manufacturer: info.manufacturerID.trim(),
      description: info.libraryDescription.trim(),
      libraryVersion: version(info.libraryVersion),
    };
  }

  slots(tokenPresent: boolean): SlotDetails[] {
    return this.call('C_GetSlotList', () => this.p11.C_GetSlotList(tokenPresent)).map((handle) => {
      const info = this.call('C_GetSlotInfo', () => this.p11.C_GetSlotInfo(handle));
      return {
        id: slotId(handle),
        description: info.slotDescription.trim(),
        manufacturer: info.manufacturerID.trim(),
        flags: decodeSlotFlags(info.flags),
        flagNames: slotFlagNames(info.flags),
      };
    });
  }

  tokenInfo(slot: string): TokenDetails {
    const info = this.call('C_GetTokenInfo', () => this.p11.C_GetTokenInfo(this.handle(slot)));
    return {
      label: info.label.trim(),
      manufacturer: info.manufacturerID.trim(),
      model: info.model,
      serialNumber: info.serialNumber,
      flags: decodeTokenFlags(info.flags),
    };
  }

  openSession(slot: string, readWrite: boolean): TokenSession {
    const handle = this.handle(slot);
    const flags = pkcs11js.CKF_SERIAL_SESSION | (readWrite ? pkcs11js.CKF_RW_SESSION : 0);
    const session = this.call('C_OpenSession', () => this.p11.C_OpenSession(handle, flags));
    const p11 = this.p11;
    const call = this.call.bind(this);
    const tokenFlags = () => decodeTokenFlags(call('C_GetTokenInfo', () => p11.C_GetTokenInfo(handle)).flags);
    const find = (template: pkcs11js.Template): Buffer[] => {
      call('C_FindObjectsInit', () => p11.C_FindObjectsInit(session, template));
      try {
        return call('C_FindObjects', () => p11.C_FindObjects(session, 1000));
      } finally {
        p11.C_FindObjectsFinal(session);
      }
    };
    const keyById = (cls: number, keyId: string) => {
      const [key] = find([
        { type: pkcs11js.CKA_CLASS, value: cls },
        { type: pkcs11js.CKA_ID, value: Buffer.from(parseHex(keyId, 'key id')) },
      ]);
      if (!key)
        throw new CardfleetError(
          'KEY_NOT_FOUND',
          `no ${cls === pkcs11js.CKO_PRIVATE_KEY ? 'private' : 'public'} key with id ${keyId}`,
        );
      return key;
    };
    const sha256Rsa: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS };
    return {
      login(userType, pin) {
        assertLoginAllowed(tokenFlags(), userType);
        const value = typeof pin === 'string' ? pin : Buffer.from(pin);
        try {
          p11.C_Login(session, USER_TYPE_VALUE[userType], value);
        } catch (cause) {
          // PKCS#11 §5.6: the login state belongs to the token and is shared by all
          // sessions of this process; already logged in as this user type is fine.
          if (!String((cause as Error).message).includes('CKR_USER_ALREADY_LOGGED_IN'))
            throw pkcs11Error('C_Login', cause);
        }
      },
      logout() {
        call('C_Logout', () => p11.C_Logout(session));
      },
      initPin(pin) {
        call('C_InitPIN', () => p11.C_InitPIN(session, typeof pin === 'string' ? pin : Buffer.from(pin)));
      },
      setPin(oldPin, newPin) {
        const bytes = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v));
        call('C_SetPIN', () => p11.C_SetPIN(session, bytes(oldPin), bytes(newPin)));
      },
      deleteObjects(match) {
        const template: pkcs11js.Template = [];
        if (match.label !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: match.label });
        if (match.id !== undefined)
          template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(parseHex(match.id, 'object id')) });
        if (template.length === 0) return 0;
        const objects = find(template);
        for (const object of objects) call('C_DestroyObject', () => p11.C_DestroyObject(session, object));
        return objects.length;
      },
      loadLicense(license) {
        if (license.length !== LICENSE_DATA_LENGTH)
          throw new CardfleetError('LICENSE_BAD_LENGTH', `a license is ${LICENSE_DATA_LENGTH} bytes`);
        call('C_SetAttributeValue', () =>
          p11.C_SetAttributeValue(session, NULL_OBJECT, [
            { type: LICENSE_ATTRIBUTE, value: Buffer.from(license) },
          ]),
        );
      },
      licenseStatus() {
        const [attribute] = call('C_GetAttributeValue', () =>
          p11.C_GetAttributeValue(session, NULL_OBJECT, [{ type: LICENSE_ATTRIBUTE }]),
        );
        return decodeLicenseStatus(
          new Uint8Array((attribute?.value as Buffer | undefined) ?? Buffer.alloc(0)),
        );
      },
      hasCertificate(der) {
        return (
          find([
            { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
            { type: pkcs11js.CKA_VALUE, value: Buffer.from(der) },
          ]).length > 0
        );
      },
      certificates() {
        return find([{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]).map((object) => {
          const [id, label, value] = call('C_GetAttributeValue', () =>
            p11.C_GetAttributeValue(session, object, [
              { type: pkcs11js.CKA_ID },
              { type: pkcs11js.CKA_LABEL },
              { type: pkcs11js.CKA_VALUE },
            ]),
          );
          return {
            id: toHex(new Uint8Array((id?.value as Buffer | undefined) ?? Buffer.alloc(0))),
            label: ((label?.value as Buffer | undefined) ?? Buffer.alloc(0)).toString('utf8'),
            der: ((value?.value as Buffer | undefined) ?? Buffer.alloc(0)).toString('base64'),
          };
        });
      },
      generateRsaKeyPair(request) {
        assertKeyPairSupported(request);
        const { publicKey, privateKey } = rsaKeyPairTemplates(request);
        call('C_GenerateKeyPair', () =>
          p11.C_GenerateKeyPair(
            session,
            { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
            publicKey,
            privateKey,
          ),
        );
      },
      writeCertificate(certificate) {
        call('C_CreateObject', () => p11.C_CreateObject(session, certificateTemplate(certificate)));
      },
      sign(keyId, data) {
        const key = keyById(pkcs11js.CKO_PRIVATE_KEY, keyId);
        call('C_SignInit', () => p11.C_SignInit(session, sha256Rsa, key));
        return new Uint8Array(
          call('C_Sign', () => p11.C_Sign(session, Buffer.from(data), Buffer.alloc(1024))),
        );
      },
      verify(keyId, data, signature) {
        const key = keyById(pkcs11js.CKO_PUBLIC_KEY, keyId);
        call('C_VerifyInit', () => p11.C_VerifyInit(session, sha256Rsa, key));
        try {
          return p11.C_Verify(session, Buffer.from(data), Buffer.from(signature));
        } catch (cause) {
          if (String((cause as Error).message).includes('CKR_SIGNATURE_INVALID')) return false;
          throw pkcs11Error('C_Verify', cause);
        }
      },
      close() {
        try {
          p11.C_CloseSession(session);
        } catch {
          // the token may be gone already
        }
      },
    };
  }

  initToken(slot: string, soPin: string | Uint8Array, label: string): void {
    const handle = this.handle(slot);
    const flags = decodeTokenFlags(this.call('C_GetTokenInfo', () => this.p11.C_GetTokenInfo(handle)).flags);
    // A token never initialised has no SO PIN yet, whatever its flags say.
    if (flags.tokenInitialized) assertLoginAllowed(flags, 'so');
    // CK_TOKEN_INFO label: 32 bytes, blank padded (PKCS#11 §5.7 C_InitToken).
    const paddedLabel = label.padEnd(32).slice(0, 32);
    this.call('C_InitToken', () =>
      this.p11.C_InitToken(handle, typeof soPin === 'string' ? soPin : Buffer.from(soPin), paddedLabel),
    );
  }

  private handle(slot: string): Buffer {
    const handle = this.call('C_GetSlotList', () => this.p11.C_GetSlotList(false)).find(
      (h) => slotId(h) === slot,
    );
    if (!handle) throw new CardfleetError('SLOT_UNKNOWN', `no slot ${slot} in ${this.path}`);
    return handle;
  }

  private call<T>(operation: string, work: () => T): T {
    try {
      return work();
    } catch (cause) {
      if (cause instanceof CardfleetError) throw cause;
      throw pkcs11Error(operation, cause);
    }
  }
}
