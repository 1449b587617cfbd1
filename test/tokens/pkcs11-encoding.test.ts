import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { createPkcs11Handler } from '../../edge-agent/src/applications/pkcs11-application';
import { InProcessReaders } from '../../edge-agent/src/readers/in-process-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { runEncoding } from '../../edge-agent/src/runner/job-runner';
import { closeTokenModules, openTokenModule } from '../../edge-agent/src/tokens/pkcs11js-module';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { bundleOf, examples } from '../support/bundles';
import { cert, NEW_CMK, NEW_PIN } from '../support/personalisation';
import { scriptedPrompter } from '../support/prompters';
import { privateSoftHsm } from '../support/softhsm';

const CA_B64 = cert('ca');
const CMK = '80FF0011223344556677889900AABBCCDDEEFF0102030405';

const encoding = `ApplicationList=Personalise
[Personalise]
PKCS11Library=IDPrimePKCS11.dll
InitToken=true
TokenLabel=card-b
CardManagerKey=\${CMK}
NewCardManagerKey=\${NEW_CMK}
NewPin=\${NEW_PIN}
KeyPairLabel=Authentication key
KeyPairId=A1
KeySize=2048
CertificateLabel=Authentication certificate
Certificate=\${USER_CERT}
CaCertificate=\${CA_CERT}
CaCertificateLabel=Issuing CA
`;

// One private SoftHSM2 directory for the file (SoftHSM reads its configuration once per
// process); each describe initialises a token of its own in it.
const hsm = privateSoftHsm([]);
const freeSlot = (module: ReturnType<typeof openTokenModule>) =>
  module.slots(true).find((s) => !module.tokenInfo(s.id).flags.tokenInitialized)?.id ?? '';
afterAll(() => closeTokenModules());

describe('PKCS#11 applications on SoftHSM2', () => {
  let slot: string;
  const readers = new InProcessReaders();
  beforeAll(() => {
    slot = freeSlot(openTokenModule(hsm.module));
    readers.insert('Reader 0', loadCardProfile(join(examples, 'cards/cardos.json')));
  });

  const run = (fields: Record<string, string>, secrets: Record<string, string>) =>
    runEncoding({
      bundle: bundleOf({ 'e.ini': encoding }),
      readers,
      reader: 'Reader 0',
      fields,
      secrets,
      clock: systemClock,
      prompter: scriptedPrompter([]),
      handlers: applicationHandlers({
        pkcs11: createPkcs11Handler({ modules: { 'IDPrimePKCS11.dll': hsm.module }, slotFor: () => slot }),
      }),
    });

  // The token personalised once; whichever test runs first does it (tests pass in any order).
  let personalised: ReturnType<typeof run> | undefined;
  const personalise = () => {
    personalised ??= run({ USER_CERT: CA_B64, CA_CERT: CA_B64 }, { CMK, NEW_CMK, NEW_PIN });
    return personalised;
  };

  it('initialises the token, sets PIN and new CMK, generates a key, writes certificates — and pkcs11-tool sees them', async () => {
    const result = await personalise();
    expect(result.applications[0]?.failure).toBeUndefined();
    expect(result.applications[0]?.steps?.map((s) => `${s.step}:${s.status}`)).toEqual([
      'InitToken:DONE',
      'SetPin:DONE',
      'ChangeCardManagerKey:DONE',
      'GenerateKeyPair:DONE',
      'WriteCertificate:DONE',
      'WriteCaCertificate:SKIPPED', // the same DER was just written as the user certificate
    ]);
    expect(JSON.stringify(result)).not.toMatch(/246810|80FF0011|31323334353637/);
    // An independent tool logs in with the new PIN and lists what the agent wrote.
    const listing = execFileSync(
      'pkcs11-tool',
      ['--module', hsm.module, '--token-label', 'card-b', '--login', '--pin', '246810', '--list-objects'],
      {
        env: { ...process.env, SOFTHSM2_CONF: hsm.conf },
        encoding: 'utf8',
      },
    );
    expect(listing).toContain('label:      Authentication key');
    expect(listing).toContain('label:      Authentication certificate');
    // The new Card Manager Key is now the SO credential, byte for byte.
    const session = openTokenModule(hsm.module).openSession(slot, true);
    session.login('so', Buffer.from(NEW_CMK, 'hex'));
    session.close();
  });

  it('skips a CA certificate that is already on the card', async () => {
    await personalise();
    const bundle = bundleOf({
      'e.ini': `ApplicationList=Ca\n[Ca]\nPKCS11Library=IDPrimePKCS11.dll\nPin=\${PIN}\nCaCertificate=\${CA_CERT}\nCaCertificateLabel=Issuing CA\n`,
    });
    const result = await runEncoding({
      bundle,
      readers,
      reader: 'Reader 0',
      fields: { CA_CERT: CA_B64 },
      secrets: { PIN: '246810' },
      clock: systemClock,
      prompter: scriptedPrompter([]),
      handlers: applicationHandlers({
        pkcs11: createPkcs11Handler({ modules: { 'IDPrimePKCS11.dll': hsm.module }, slotFor: () => slot }),
      }),
    });
    expect(result.applications[0]?.steps).toEqual([
      { step: 'WriteCaCertificate', status: 'SKIPPED', detail: 'already on the card' },
    ]);
  });

  it('reports a wrong PIN as a typed failure without the PIN', async () => {
    await personalise();
    const bundle = bundleOf({
      'e.ini':
        'ApplicationList=K\n[K]\nPKCS11Library=IDPrimePKCS11.dll\nPin=${PIN}\nKeyPairLabel=k2\nKeyPairId=B2\n',
    });
    const result = await runEncoding({
      bundle,
      readers,
      reader: 'Reader 0',
      fields: {},
      secrets: { PIN: '999999' },
      clock: systemClock,
      prompter: scriptedPrompter([]),
      handlers: applicationHandlers({
        pkcs11: createPkcs11Handler({ modules: { 'IDPrimePKCS11.dll': hsm.module }, slotFor: () => slot }),
      }),
    });
    expect(result.applications[0]?.failure).toMatchObject({ code: 'PIN_INCORRECT' });
    expect(JSON.stringify(result)).not.toContain('999999');
  });

  it('refuses an unmapped module name clearly', async () => {
    const result = await runEncoding({
      bundle: bundleOf({
        'e.ini': 'ApplicationList=K\n[K]\nPKCS11Library=other.dll\nPin=1\nKeyPairLabel=k\n',
      }),
      readers,
      reader: 'Reader 0',
      fields: {},
      clock: systemClock,
      prompter: scriptedPrompter([]),
      handlers: applicationHandlers({ pkcs11: createPkcs11Handler({ modules: {}, slotFor: () => slot }) }),
    });
    expect(result.applications[0]?.failure?.code).toBe('MODULE_NOT_MAPPED');
  });
});

describe('PIN change, Card Manager Key reset and deletions on SoftHSM2', () => {
  it('changes the user PIN, resets the CMK to the factory value and deletes objects by label and id', async () => {
    const readers = new InProcessReaders();
    readers.insert('Reader 0', loadCardProfile(join(examples, 'cards/cardos.json')));
    const module = openTokenModule(hsm.module);
    // A token of this test's own, personalised as above (label card-c).
    const free = freeSlot(module);
    const personalised = await runEncoding({
      bundle: bundleOf({ 'e.ini': encoding.replace('TokenLabel=card-b', 'TokenLabel=card-c') }),
      readers,
      reader: 'Reader 0',
      fields: { USER_CERT: CA_B64, CA_CERT: CA_B64 },
      secrets: { CMK, NEW_CMK, NEW_PIN },
      clock: systemClock,
      prompter: scriptedPrompter([]),
      handlers: applicationHandlers({
        pkcs11: createPkcs11Handler({ modules: { 'IDPrimePKCS11.dll': hsm.module }, slotFor: () => free }),
      }),
    });
    expect(personalised.applications[0]?.failure).toBeUndefined();
    const slot = module.slots(true).find((s) => module.tokenInfo(s.id).label === 'card-c')?.id ?? '';
    const handler = createPkcs11Handler({ modules: { 'x.dll': module.path }, slotFor: () => slot });
    const run = (lines: string[], secrets: Record<string, string>) =>
      runEncoding({
        bundle: bundleOf({
          'e.ini': ['ApplicationList=A', '[A]', 'PKCS11Library=x.dll', ...lines].join('\n'),
        }),
        readers,
        reader: 'Reader 0',
        fields: {},
        secrets,
        clock: systemClock,
        prompter: scriptedPrompter([]),
        handlers: applicationHandlers({ pkcs11: handler }),
      });
    const change = await run(
      [
        'Pin=${PIN}',
        'NewPin=${NEW}',
        'CardManagerKey=${CMK}',
        'NewCardManagerKey=000000000000000000000000000000000000000000000000',
      ],
      {
        PIN: '246810',
        NEW: '135799',
        CMK: NEW_CMK,
      },
    );
    expect(change.applications[0]?.steps?.map((s) => s.step)).toEqual(['ChangePin', 'ChangeCardManagerKey']);
    const session = module.openSession(slot, true);
    session.login('so', new Uint8Array(24)); // back to the factory key, byte-exact
    session.logout();
    session.close();
    const deleted = await run(
      ['Pin=${PIN}', 'DeleteObjectsByLabel=Authentication certificate', 'DeleteObjectsById=A1'],
      { PIN: '135799' },
    );
    expect(deleted.applications[0]?.steps).toEqual([
      { step: 'DeleteObjectsByLabel', status: 'DONE', detail: '1 object(s)' },
      { step: 'DeleteObjectsById', status: 'DONE', detail: '2 object(s)' }, // the key pair
    ]);
  });
});
