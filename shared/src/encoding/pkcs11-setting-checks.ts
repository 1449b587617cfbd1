import type { ErrorCode } from '../errors/error-catalogue';
import { type Setting, settingText } from './encoding-model';
import { PROMPTABLE_PIN_KEYS } from './prompt-keys';

type Report = (code: ErrorCode, message: string, line: number, column: number) => void;

/** The Gemalto guide's modules: IDPrime (IDPrimePKCS11, IDPrimePKCS1164) and SafeNet eToken (eTPKCS11). */
const GEMALTO_MODULE = /^(?:idprimepkcs11|idprimepkcs1164|etpkcs11)(?:\.dll)?$/i;
const LIBRARY_KEYS = ['PKCS11Library', 'PKCS11LibraryWindows32', 'PKCS11LibraryWindows64'] as const;

/**
 * What a PKCS#11 application's settings must satisfy together, checked at validate time
 * because the module would refuse it at run time (docs/encoding-format.md §6.2):
 *  - on Gemalto modules a new PUK is the 24-byte SO credential (the Gemalto guide: "a new
 *    PUK must be 24 bytes"; the Card Manager Key plays that role);
 *  - a token label fits CK_TOKEN_INFO.label, 32 bytes (PKCS#11 v2.40 §3.2);
 *  - a literal certificate is base64 of DER, which starts with a SEQUENCE (0x30);
 *  - a prompted current PIN comes with its prompted new PIN: the operator's dialog asks
 *    the current and the new value together, never the current one alone.
 */
export function checkPkcs11Settings(
  name: string,
  settings: Readonly<Record<string, Setting>>,
  report: Report,
): void {
  const at = (setting: Setting, code: ErrorCode, message: string) =>
    report(code, message, setting.line, setting.column);
  const gemalto = LIBRARY_KEYS.some((key) => {
    const value = settingText(settings[key]);
    return value !== undefined && GEMALTO_MODULE.test(value.split(/[\\/]/).pop() ?? '');
  });
  const newPuk = settings.NewPuk;
  const newPukText = settingText(newPuk);
  if (gemalto && newPuk && newPukText !== undefined && new TextEncoder().encode(newPukText).length !== 24) {
    at(
      newPuk,
      'ENCODING_BAD_VALUE',
      `[${name}] NewPuk: a new PUK on a Gemalto module must be 24 bytes (Gemalto guide)`,
    );
  }
  const label = settings.TokenLabel;
  const labelText = settingText(label);
  if (label && labelText !== undefined && new TextEncoder().encode(labelText).length > 32) {
    at(label, 'ENCODING_BAD_VALUE', 'TokenLabel: a token label is at most 32 bytes (PKCS#11 CK_TOKEN_INFO)');
  }
  for (const key of ['Certificate', 'CaCertificate']) {
    const setting = settings[key];
    const text = settingText(setting);
    if (setting && text !== undefined && !isBase64Der(text))
      at(setting, 'ENCODING_BAD_VALUE', `${key}: expected base64 of a DER certificate`);
  }
  for (const [key, { current }] of Object.entries(PROMPTABLE_PIN_KEYS)) {
    if (current === undefined || settings[current]?.value.kind !== 'prompt') continue;
    if (settings[key]?.value.kind === 'prompt') continue;
    const setting = settings[current] as Setting;
    at(
      setting,
      'ENCODING_PROMPT_UNPAIRED',
      `[${name}] ${current}=?prompt asks the current value in a change dialog: set ${key}=?prompt too`,
    );
  }
}

function isBase64Der(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return false;
  return atob(compact.slice(0, 4)).charCodeAt(0) === 0x30;
}
