import { type Pkcs11Application, parseEncoding } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import type { ApplicationContext } from '../runner/application-port';
import { FieldStore } from '../runner/field-store';
import type { PinEntry, PinRequest, Prompter } from '../runner/prompter';
import type { TokenModule, TokenSession } from '../tokens/token-port';
import { createPkcs11Handler } from './pkcs11-application';

// The Gemalto guide: "the user changes the signature PIN by entering old and new values,
// at least 4 digits".
const ENCODING = [
  'ApplicationList=ChangeSignaturePin',
  '[ChangeSignaturePin]',
  'PKCS11Library=IDPrimePKCS11.dll',
  'Location=#signature',
  'SignaturePin=?prompt',
  'NewSignaturePin=?prompt',
  'PromptPinRule=[0-9]{4,}',
  'PromptPinText=Change your signature PIN',
].join('\n');

function application(): Pkcs11Application {
  const app = parseEncoding(ENCODING, 'e.ini').encoding?.applications[0];
  if (app?.kind !== 'pkcs11') throw new Error('no PKCS#11 application');
  return app;
}

function recordingModule(log: string[]): TokenModule {
  const session = {
    login: (who: string, pin: string) => log.push(`login ${who} ${pin}`),
    logout: () => log.push('logout'),
    setPin: (old: string, pin: string) => log.push(`setPin ${old} -> ${pin}`),
    close: () => log.push('close'),
  } as unknown as TokenSession;
  return { openSession: () => session } as unknown as TokenModule;
}

async function run(answers: PinEntry[]) {
  const log: string[] = [];
  const asked: PinRequest[] = [];
  const prompter: Prompter = {
    async askPins(_app, requests) {
      log.push('asked');
      asked.push(...requests);
      return answers;
    },
  };
  const handler = createPkcs11Handler({
    modules: { 'idprimepkcs11.dll': '/lib/vendor.so' },
    openModule: () => {
      log.push('open module');
      return recordingModule(log);
    },
    slotFor: () => 'slot-1',
  });
  const fields = new FieldStore({}, []);
  const context = { channel: { reader: 'R' }, fields, prompter } as unknown as ApplicationContext;
  const result = await handler(application(), context);
  return { log, asked, result };
}

describe('operator PINs for PKCS#11 steps (?prompt)', () => {
  it('asks the current and new signature PIN once, before the module is opened, and changes it', async () => {
    const { log, asked, result } = await run([{ old: '000000', pin: '4711', confirmation: '4711' }]);
    expect(asked).toEqual([
      {
        line: 6,
        description: 'Change your signature PIN (signature PIN)',
        rule: '[0-9]{4,}',
        askOld: true,
        askTransport: false,
      },
    ]);
    expect(log.slice(0, 2)).toEqual(['asked', 'open module']);
    expect(log).toContain('setPin 000000 -> 4711');
    expect(result.status).toBe('SUCCEEDED');
    expect(result.steps).toEqual([{ step: 'ChangeSignaturePin', status: 'DONE' }]);
  });

  it('refuses a PIN that breaks the rule or its confirmation without touching the module, naming no PIN', async () => {
    for (const [entry, code] of [
      [{ old: '000000', pin: '12', confirmation: '12' }, 'PIN_RULE'],
      [{ old: '000000', pin: '12345', confirmation: '12346' }, 'PIN_CONFIRMATION'],
    ] as const) {
      const { log, result } = await run([entry]);
      expect(log).toEqual(['asked']);
      expect(result.failure?.code).toBe(code);
      expect(result.failure?.message).not.toContain(entry.pin);
    }
  });
});
