import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { createPkcs11Handler } from '../../edge-agent/src/applications/pkcs11-application';
import { InProcessReaders } from '../../edge-agent/src/readers/in-process-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { runEncoding } from '../../edge-agent/src/runner/job-runner';
import { closeTokenModules, openTokenModule } from '../../edge-agent/src/tokens/pkcs11js-module';
import { slotByReaderName } from '../../edge-agent/src/tokens/reader-slots';
import type { TokenModule } from '../../edge-agent/src/tokens/token-port';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { bundleOf, examples } from '../support/bundles';
import { scriptedPrompter } from '../support/prompters';
import { vendorModule } from '../support/vendor-module';

const READER = 'Virtual PCD 00 00';

describe('signature slot credentials (Gemalto IDPrime 940, Location=#signature)', () => {
  let module: TokenModule;
  beforeAll(() => {
    module = openTokenModule(vendorModule([{ reader: READER, main: 'main-0', signature: 'sign-0' }]).module);
  });
  afterAll(() => closeTokenModules());

  it('changes the signature PUK from its default, sets the signature PIN and writes into the signature slot', async () => {
    const readers = new InProcessReaders();
    readers.insert(READER, loadCardProfile(join(examples, 'cards/cardos.json')));
    // Gemalto seed: "Change signature PUK from default to 12345678 and set new signature PIN from field NEW_SIGN_PIN".
    const encoding = [
      'ApplicationList=Signature',
      '[Signature]',
      'PKCS11Library=IDPrimePKCS11.dll',
      'Location=#signature',
      'SignaturePuk=000000',
      'NewSignaturePuk=12345678',
      'NewSignaturePin=${NEW_SIGN_PIN}',
      'KeyPairLabel=Signature key',
      'KeyPairId=51',
      'KeySize=1024',
    ].join('\n');
    const result = await runEncoding({
      bundle: bundleOf({ 'e.ini': encoding }),
      readers,
      reader: READER,
      fields: {},
      secrets: { NEW_SIGN_PIN: '135790' },
      clock: systemClock,
      prompter: scriptedPrompter([]),
      handlers: applicationHandlers({
        pkcs11: createPkcs11Handler({ modules: { 'IDPrimePKCS11.dll': module.path } }),
      }),
    });
    expect(result.applications[0]?.failure).toBeUndefined();
    expect(result.applications[0]?.steps?.map((s) => s.step)).toEqual([
      'SetSignaturePin',
      'ChangeSignaturePuk',
      'GenerateKeyPair',
    ]);
    const session = module.openSession(slotByReaderName(module, READER, 'signature'), true);
    session.login('so', '12345678');
    session.logout();
    session.login('user', '135790');
    expect(session.sign('51', new TextEncoder().encode('x'))).toHaveLength(128);
    session.close();
    // The main slot was not touched.
    expect(module.tokenInfo(slotByReaderName(module, READER, 'main')).label).toBe('main-0');
  });
});
