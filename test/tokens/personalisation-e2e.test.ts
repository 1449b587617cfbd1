import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidatedBundle } from '@cardfleet/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { createLicenseHandler } from '../../edge-agent/src/applications/license-application';
import { createPkcs11Handler } from '../../edge-agent/src/applications/pkcs11-application';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { type RunEncodingInput, runEncoding } from '../../edge-agent/src/runner/job-runner';
import { closeTokenModules, openTokenModule } from '../../edge-agent/src/tokens/pkcs11js-module';
import type { BatchCard } from '../../edge-agent/src/virtual-card/batch-card';
import { createVirtualCard, loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { bundleOf, exampleBundle, examples } from '../support/bundles';
import {
  cert,
  FACTORY_CMK,
  listObjectsWithNewPin,
  NEW_CMK,
  NEW_PIN,
  PERSONALISED_LABELS,
} from '../support/personalisation';
import { scriptedPrompter } from '../support/prompters';
import { pcscdRig, type ReaderRig } from '../support/reader-fixtures';
import { vendorModule } from '../support/vendor-module';

const rig = inject('rig');
const licenseOnly = (pinField: string) =>
  `ApplicationList=License\n[License]\nPKCS11Library=IDPrimePKCS1164.dll\nLicenseAction=ensure\nPin=\${${pinField}}\n`;

describe('personalisation and licenses end to end: pcscd + vpcd cards, vendor PKCS#11 module', () => {
  let vendor: ReturnType<typeof vendorModule>;
  let readers: ReaderRig;
  let batch: BatchCard;
  const licenseDirectory = mkdtempSync(join(tmpdir(), 'cardfleet-licenses-'));
  const run = (
    encoding: string | ValidatedBundle,
    secrets: Record<string, string>,
    fields: Record<string, string> = {},
  ) => {
    const modules = { 'IDPrimePKCS1164.dll': vendor.module };
    const input: RunEncodingInput = {
      bundle: typeof encoding === 'string' ? bundleOf({ 'e.ini': encoding }) : encoding,
      readers: readers.port,
      reader: rig.readerNames[0],
      fields,
      secrets,
      clock: systemClock,
      prompter: scriptedPrompter([]),
      handlers: applicationHandlers({
        pkcs11: createPkcs11Handler({ modules }),
        license: createLicenseHandler({ modules, licenseDirectory }),
      }),
    };
    return runEncoding(input);
  };

  beforeAll(async () => {
    vendor = vendorModule([{ reader: rig.readerNames[0], main: 'card-0', initialiseMain: false }], {
      objectBudget: 5,
    });
    // The card leaves the factory with the Card Manager Key of 24 zero bytes (Gemalto
    // seed), set here through plain SoftHSM before the vendor module maps the token.
    const softhsm = openTokenModule(rig.softhsmModule);
    const free = softhsm.slots(true).find((s) => !softhsm.tokenInfo(s.id).flags.tokenInitialized)?.id ?? '';
    softhsm.initToken(free, new Uint8Array(24), 'card-0');
    readers = await pcscdRig.create();
    await readers.insert(loadCardProfile(join(examples, 'cards/cardos.json')), 0);
    batch = loadCardProfile(join(examples, 'cards/batch.json')) as BatchCard;
    await readers.insert(batch, 1);
  });
  afterAll(async () => {
    await readers.close();
    closeTokenModules();
  });

  // The token personalised once, with the license loaded and then found again by a second
  // run; whichever test runs first does it (tests pass in any order).
  let personalised:
    | Promise<{
        result: Awaited<ReturnType<typeof run>>;
        creditAfter: number;
        again: Awaited<ReturnType<typeof run>>;
        creditAfterAgain: number;
      }>
    | undefined;
  const personalise = () => {
    personalised ??= (async () => {
      const result = await run(
        exampleBundle('idprime-personalise'),
        { CMK: FACTORY_CMK, NEW_CMK, NEW_PIN },
        { USER_CERT: cert('user'), CA_CERT: cert('ca') },
      );
      const creditAfter = batch.credit;
      // The license is on the card: a second run skips generation and spends no credit.
      const again = await run(licenseOnly('PIN'), { PIN: NEW_PIN });
      return { result, creditAfter, again, creditAfterAgain: batch.credit };
    })();
    return personalised;
  };

  it('initialises, sets PIN and new CMK, generates RSA-2048, writes certificates, loads a license', async () => {
    const { result, creditAfter, again, creditAfterAgain } = await personalise();
    const [pkcs11, license] = result.applications;
    expect(pkcs11?.failure).toBeUndefined();
    expect(pkcs11?.steps?.map((s) => `${s.step}:${s.status}`)).toEqual([
      'InitToken:DONE',
      'SetPin:DONE',
      'ChangeCardManagerKey:DONE',
      'GenerateKeyPair:DONE',
      'WriteCertificate:DONE',
      'WriteCaCertificate:DONE',
    ]);
    expect(license?.failure).toBeUndefined();
    expect(license?.license).toMatchObject({
      licensePresent: true,
      serialValid: true,
      dateValid: true,
      acceptable: true,
      batchCardCredit: 2,
    });
    expect(license?.outputs.LICENSE_STATUS).toContain('"acceptable":true');
    expect(creditAfter).toBe(2);
    expect(JSON.stringify(result)).not.toMatch(new RegExp(`${NEW_PIN}|${NEW_CMK}`));
    // OpenSC's pkcs11-tool, an independent tool, logs in with the new PIN and lists the objects.
    const listing = listObjectsWithNewPin(vendor);
    for (const label of PERSONALISED_LABELS) expect(listing).toContain(`label:      ${label}`);
    expect(again.applications[0]?.steps?.[1]).toMatchObject({ step: 'GenerateLicense', status: 'SKIPPED' });
    expect(creditAfterAgain).toBe(2);
  });

  it('reports card memory full as such', async () => {
    await personalise();
    const result = await run(
      'ApplicationList=K\n[K]\nPKCS11Library=IDPrimePKCS1164.dll\nPin=${PIN}\nKeyPairLabel=Second key\nKeyPairId=A2\n',
      { PIN: NEW_PIN },
    );
    expect(result.applications[0]?.failure).toMatchObject({ code: 'CARD_MEMORY_FULL' });
  });

  it('keeps a generated license when loading fails, and the retry spends no second credit', async () => {
    await personalise();
    const credit = batch.credit;
    // A card whose license is gone (re-issued token): generate again.
    const session = openTokenModule(vendor.module).openSession('0', true);
    session.login('user', NEW_PIN);
    session.loadLicense(new Uint8Array(128)); // an invalid license: not acceptable
    session.close();
    const failed = await run(licenseOnly('PIN'), { PIN: '999999' });
    expect(failed.applications[0]?.failure).toMatchObject({ code: 'PIN_INCORRECT' });
    expect(batch.credit).toBe(credit - 1); // generated, then the load failed
    const retry = await run(licenseOnly('PIN'), { PIN: NEW_PIN });
    expect(retry.applications[0]?.steps?.find((s) => s.step === 'GenerateLicense')).toMatchObject({
      status: 'SKIPPED',
    });
    expect(retry.applications[0]?.license?.acceptable).toBe(true);
    expect(batch.credit).toBe(credit - 1);
  });

  it('reports a batch card out of credit', async () => {
    await personalise();
    await readers.remove(1);
    await readers.insert(
      createVirtualCard({
        ...JSON.parse(readFileSync(join(examples, 'cards/batch.json'), 'utf8')),
        credit: 0,
      }),
      1,
    );
    const session = openTokenModule(vendor.module).openSession('0', true);
    session.login('user', NEW_PIN);
    session.loadLicense(new Uint8Array(128));
    session.close();
    const result = await run(licenseOnly('PIN'), { PIN: NEW_PIN });
    expect(result.applications[0]?.failure).toMatchObject({
      code: 'LICENSE_NO_CREDIT',
      message: 'GENERATE LICENSE: 6985 (no more credit (remaining license counter reached zero))',
    });
    // Put the batch card with credit back for the tests that may follow.
    await readers.remove(1);
    await readers.insert(batch, 1);
  });
});
