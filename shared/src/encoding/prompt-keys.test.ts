import { describe, expect, it } from 'vitest';
import { PROMPT_KEYS, PROMPT_VALUE, PROMPTABLE_PIN_KEYS, promptedPinField } from './prompt-keys';

describe('prompted PIN keys', () => {
  it('are the eight PIN and PUK keys, each new value tied to its current key', () => {
    expect(PROMPT_VALUE).toBe('?prompt');
    expect(PROMPTABLE_PIN_KEYS).toEqual({
      Pin: { names: 'PIN' },
      NewPin: { current: 'Pin', names: 'PIN' },
      Puk: { names: 'PUK' },
      NewPuk: { current: 'Puk', names: 'PUK' },
      SignaturePin: { names: 'signature PIN' },
      NewSignaturePin: { current: 'SignaturePin', names: 'signature PIN' },
      SignaturePuk: { names: 'signature PUK' },
      NewSignaturePuk: { current: 'SignaturePuk', names: 'signature PUK' },
    });
  });

  it('come with a PIN rule (not a field reference) and a prompt text (maybe one)', () => {
    expect(PROMPT_KEYS).toEqual({
      PromptPinRule: {
        scopes: ['pkcs11'],
        type: { kind: 'reg-exp' },
        secret: false,
        fieldReference: false,
        description: 'rule every prompted new PIN must match as a whole (e.g. [0-9]{4,})',
      },
      PromptPinText: {
        scopes: ['pkcs11'],
        type: { kind: 'text' },
        secret: false,
        fieldReference: true,
        description: 'text shown to the operator with the prompt',
      },
    });
  });

  it('wait in the field store under a name no job field can have', () => {
    expect(promptedPinField('NewPin')).toBe('prompt:NewPin');
  });
});
