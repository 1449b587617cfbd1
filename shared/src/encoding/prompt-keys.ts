import type { KeySpec } from './key-spec';

/**
 * Operator PINs for PKCS#11 applications (defined by cardfleet; docs/encoding-format.md
 * §6.2.1). The Gemalto guide's change-signature-PIN flow — "the user changes the signature
 * PIN by entering old and new values, at least 4 digits" — needs PINs that only the person
 * at the station knows. A PIN key whose value is `?prompt` is asked at the station through
 * the same Prompter as the PIN lines of APDU scripts (operator console, `cardfleet-agent
 * prompt`), before the application's first module call; the PIN never leaves the station.
 */
export const PROMPT_VALUE = '?prompt';

/** PIN keys that may be `?prompt`, each with its current-value key when it is a new value. */
export const PROMPTABLE_PIN_KEYS: Readonly<Record<string, { current?: string; names: string }>> = {
  Pin: { names: 'PIN' },
  NewPin: { current: 'Pin', names: 'PIN' },
  Puk: { names: 'PUK' },
  NewPuk: { current: 'Puk', names: 'PUK' },
  SignaturePin: { names: 'signature PIN' },
  NewSignaturePin: { current: 'SignaturePin', names: 'signature PIN' },
  SignaturePuk: { names: 'signature PUK' },
  NewSignaturePuk: { current: 'SignaturePuk', names: 'signature PUK' },
};

/** A non-secret setting of PKCS#11 applications. */
const pkcs11Setting = (type: KeySpec['type'], fieldReference: boolean, description: string): KeySpec => ({
  scopes: ['pkcs11'],
  type,
  secret: false,
  fieldReference,
  description,
});

export const PROMPT_KEYS: Readonly<Record<string, KeySpec>> = {
  PromptPinRule: pkcs11Setting(
    { kind: 'reg-exp' },
    false,
    'rule every prompted new PIN must match as a whole (e.g. [0-9]{4,})',
  ),
  PromptPinText: pkcs11Setting({ kind: 'text' }, true, 'text shown to the operator with the prompt'),
};

/** Where a prompted PIN waits in the job's field store (a name no job field can have). */
export function promptedPinField(key: string): string {
  return `prompt:${key}`;
}
