import { type ApplicationResult, CardfleetError, type Pkcs11Application, parseHex } from '@cardfleet/shared';
import type { ApplicationHandler } from '../runner/application-port';
import type { FieldStore } from '../runner/field-store';
import type { SlotLocation } from '../tokens/reader-slots';
import type { TokenModule, TokenSession } from '../tokens/token-port';
import { settingValue } from './application-settings';
import { type CardTokenOptions, cardTokenOpener } from './card-token';
import { collectPromptedPins } from './pkcs11-prompted-pins';

/**
 * Runs a PKCS#11 application of an encoding (Gemalto seed) on the token of the job's
 * card. Steps, in this order (docs/edge-agent.md, "PKCS#11 applications"):
 *   1. InitToken (Card Manager Key as SO credential) or SetPin, then the new user PIN;
 *   2. PIN change (Pin → NewPin), Card Manager Key / PUK change, signature-slot PINs;
 *   3. deletions, key-pair generation, user and CA certificates (a CA certificate
 *      already on the card is skipped, as JPKIEncoder does — Gemalto seed).
 * Secrets come from the field store, or from the operator at the station for `?prompt`
 * settings (pkcs11-prompted-pins.ts), and never appear in steps, results or errors.
 */
export type Pkcs11HandlerOptions = CardTokenOptions;

type Steps = NonNullable<ApplicationResult['steps']>;

export function createPkcs11Handler(options: Pkcs11HandlerOptions): ApplicationHandler<Pkcs11Application> {
  const openToken = cardTokenOpener(options);
  return async (app, { channel, fields, prompter, identifyToken }) => {
    const steps: Steps = [];
    const result = (failure?: { code: string; message: string }): ApplicationResult => ({
      name: app.name,
      kind: 'pkcs11',
      status: failure ? 'FAILED' : 'SUCCEEDED',
      outputs: {},
      apdus: [],
      steps,
      ...(failure ? { failure: { ...failure, message: fields.redact().text(failure.message) } } : {}),
    });
    try {
      // Operator PINs first: a cancelled or wrong entry costs the card nothing.
      await collectPromptedPins(app, fields, prompter);
      const { module, slot, location } = openToken(app, channel.reader);
      identifyToken?.(tokenIdentity(module, slot));
      runSteps(app, module, slot, location, fields, steps);
      return result();
    } catch (error) {
      if (!(error instanceof CardfleetError)) throw error;
      return result({ code: error.code, message: error.message });
    }
  };
}

/**
 * The token's model and serial (C_GetTokenInfo) for the result's card identity
 * (runner/card-serial.ts); a token that cannot say leaves it to the next source.
 */
function tokenIdentity(module: TokenModule, slot: string): { model: string; serial: string } {
  try {
    const info = module.tokenInfo(slot);
    return { model: info.model, serial: info.serialNumber };
  } catch {
    return { model: '', serial: '' };
  }
}

function runSteps(
  app: Pkcs11Application,
  module: TokenModule,
  slot: string,
  location: SlotLocation,
  fields: FieldStore,
  steps: Steps,
): void {
  const value = (key: string) => settingValue(app.settings[key], fields);
  const flag = (key: string) => /^(true|1)$/i.test(value(key) ?? '');
  const signature = location === 'signature';
  const done = (step: string, detail?: string) =>
    steps.push({ step, status: 'DONE', ...(detail ? { detail } : {}) });
  // On the signature slot the PUK/PIN keywords are SignaturePuk/SignaturePin (Gemalto seed).
  const soSecret = signature ? value('SignaturePuk') : (cmk(value('CardManagerKey')) ?? value('Puk'));
  const newSo = signature ? value('NewSignaturePuk') : (cmk(value('NewCardManagerKey')) ?? value('NewPuk'));
  const userPin = signature ? value('SignaturePin') : value('Pin');
  const newUserPin = signature ? value('NewSignaturePin') : value('NewPin');
  const label = value('TokenLabel') ?? app.name;

  if (flag('InitToken')) {
    if (soSecret === undefined) throw missing('InitToken needs CardManagerKey (the SO credential)');
    module.initToken(slot, soSecret, label);
    done('InitToken');
  }
  withSession(module, slot, (session) => {
    if (
      (flag('InitToken') ||
        flag('SetPin') ||
        (signature && newUserPin !== undefined && userPin === undefined)) &&
      newUserPin !== undefined
    ) {
      if (soSecret === undefined)
        throw missing('setting the user PIN needs the SO credential (CardManagerKey or SignaturePuk)');
      session.login('so', soSecret);
      session.initPin(newUserPin);
      session.logout();
      done(signature ? 'SetSignaturePin' : 'SetPin');
    } else if (newUserPin !== undefined) {
      if (userPin === undefined) throw missing('NewPin needs the current Pin');
      session.login('user', userPin);
      session.setPin(userPin, newUserPin);
      session.logout();
      done(signature ? 'ChangeSignaturePin' : 'ChangePin');
    }
    if (newSo !== undefined) {
      if (soSecret === undefined) throw missing('a new Card Manager Key / PUK needs the current one');
      session.login('so', soSecret);
      session.setPin(soSecret, newSo);
      session.logout();
      done(signature ? 'ChangeSignaturePuk' : 'ChangeCardManagerKey');
    }
  });
  const objectSteps = [
    'DeleteObjectsByLabel',
    'DeleteObjectsById',
    'KeyPairLabel',
    'Certificate',
    'CaCertificate',
  ].some((k) => value(k) !== undefined);
  if (!objectSteps) return;
  withSession(module, slot, (session) => {
    const pin = newUserPin ?? userPin;
    if (pin === undefined) throw missing('writing objects needs the user PIN (Pin or NewPin)');
    session.login('user', pin);
    const byLabel = value('DeleteObjectsByLabel');
    const byId = value('DeleteObjectsById');
    if (byLabel !== undefined)
      done('DeleteObjectsByLabel', `${session.deleteObjects({ label: byLabel })} object(s)`);
    if (byId !== undefined) done('DeleteObjectsById', `${session.deleteObjects({ id: byId })} object(s)`);
    const keyLabel = value('KeyPairLabel');
    const keyId = value('KeyPairId') ?? '01';
    if (keyLabel !== undefined) {
      const bits = Number(value('KeySize') ?? '2048');
      session.generateRsaKeyPair({
        label: keyLabel,
        id: keyId,
        bits,
        publicExponent: value('PublicExponent') ?? '010001',
      });
      done('GenerateKeyPair', `RSA ${bits}`);
    }
    const certificate = value('Certificate');
    if (certificate !== undefined) {
      session.writeCertificate({
        id: keyId,
        label: value('CertificateLabel') ?? keyLabel ?? 'certificate',
        der: base64(certificate, 'Certificate'),
        ca: false,
      });
      done('WriteCertificate');
    }
    const ca = value('CaCertificate');
    if (ca !== undefined) {
      const der = base64(ca, 'CaCertificate');
      if (session.hasCertificate(der)) {
        steps.push({ step: 'WriteCaCertificate', status: 'SKIPPED', detail: 'already on the card' });
      } else {
        writeCa(session, der, value('CaCertificateLabel') ?? 'CA certificate', steps);
      }
    }
    session.logout();
  });
}

/** Middlewares answer CKR_FUNCTION_FAILED for a CA certificate already present (Gemalto seed). */
function writeCa(session: TokenSession, der: Uint8Array, label: string, steps: Steps): void {
  try {
    session.writeCertificate({ id: 'CA', label, der, ca: true });
    steps.push({ step: 'WriteCaCertificate', status: 'DONE' });
  } catch (error) {
    if (error instanceof CardfleetError && error.code === 'CKR_FUNCTION_FAILED') {
      steps.push({
        step: 'WriteCaCertificate',
        status: 'SKIPPED',
        detail: 'already on the card (CKR_FUNCTION_FAILED)',
      });
      return;
    }
    throw error;
  }
}

function withSession(module: TokenModule, slot: string, work: (session: TokenSession) => void): void {
  const session = module.openSession(slot, true);
  try {
    work(session);
  } finally {
    session.close();
  }
}

/** Card Manager Key: 24 bytes given as 48 hex digits (Gemalto seed). */
function cmk(hex: string | undefined): Uint8Array | undefined {
  if (hex === undefined) return undefined;
  const bytes = parseHex(hex, 'Card Manager Key');
  if (bytes.length !== 24)
    throw new CardfleetError('CMK_LENGTH', `a Card Manager Key is 24 bytes, got ${bytes.length}`);
  return bytes;
}

function base64(text: string, key: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
    throw new CardfleetError('CERTIFICATE_INVALID', `${key} is not base64 DER`);
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

function missing(message: string): CardfleetError {
  return new CardfleetError('ENCODING_INCOMPLETE', message);
}
