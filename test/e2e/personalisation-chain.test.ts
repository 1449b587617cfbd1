import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TERMINAL_JOB_STATES } from '@cardfleet/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { createLicenseHandler } from '../../edge-agent/src/applications/license-application';
import { createPkcs11Handler } from '../../edge-agent/src/applications/pkcs11-application';
import { closeTokenModules, openTokenModule } from '../../edge-agent/src/tokens/pkcs11js-module';
import type { BatchCard } from '../../edge-agent/src/virtual-card/batch-card';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { examples } from '../support/bundles';
import { AGENT, startSystem } from '../support/e2e-system';
import {
  cert,
  FACTORY_CMK,
  listObjectsWithNewPin,
  NEW_CMK,
  NEW_PIN,
  PERSONALISED_LABELS,
} from '../support/personalisation';
import { expectOnlyCataloguedItems, writeTheRarerItems } from '../support/table-scan';
import { vendorModule } from '../support/vendor-module';

// PKCS#11 personalisation and a card license through the whole chain: the admin pushes
// the encoding, an operator creates the job with the secret fields (sealed at rest, a
// JWE to the agent in the envelope), the agent runs it with the vendor-behaviour module
// over SoftHSM2 on the card in the first vpcd reader and the Idopte batch card in the
// second, and the signed result with the license status comes back for audit.
const rig = inject('rig');
// One SoftHSM token for the file (the module reads its configuration once per process):
// the first run starts from the factory Card Manager Key, the second from the new one.
const vendor = vendorModule([{ reader: rig.readerNames[0], main: 'card-0', initialiseMain: false }]);
const softhsm = openTokenModule(rig.softhsmModule);
const free = softhsm.slots(true).find((s) => !softhsm.tokenInfo(s.id).flags.tokenInitialized)?.id ?? '';
softhsm.initToken(free, new Uint8Array(24), 'card-0');
let currentCmk = FACTORY_CMK;
// The first run (whichever broker's) generates the license on a fresh batch card; a later
// run finds it on the token and spends no credit.
let licenseOnToken = false;
afterAll(() => closeTokenModules());

describe.each(['mosquitto', 'aedes'] as const)('PKCS#11 and license encodings end to end (%s)', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let batch: BatchCard;
  beforeAll(async () => {
    const modules = { 'IDPrimePKCS1164.dll': vendor.module };
    const licenseDirectory = mkdtempSync(join(tmpdir(), 'cardfleet-licenses-'));
    system = await startSystem({
      broker,
      encodings: ['idprime-personalise'],
      agent: {
        handlers: {
          pkcs11: createPkcs11Handler({ modules }),
          license: createLicenseHandler({ modules, licenseDirectory }),
        },
      },
    });
    batch = loadCardProfile(join(examples, 'cards/batch.json')) as BatchCard;
    await system.readers.insert(batch, 1);
  });
  afterAll(() => system.close());

  it('personalises the token, loads a license, the signed result and audit entries are in the API, and the table holds only catalogued items', async () => {
    const { api, cloud } = system;
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'idprime-personalise',
      fields: { CMK: currentCmk, NEW_CMK, NEW_PIN, USER_CERT: cert('user'), CA_CERT: cert('ca') },
    });
    await publishJob(system.publication(), jobId);
    type Application = {
      steps?: { step: string; status: string }[];
      license?: { acceptable: boolean; licensePresent: boolean };
      outputs: Record<string, string>;
      failure?: unknown;
    };
    type JobView = { state: string; result?: { applications: Application[] } };
    // Any outcome, so a failure shows its details below rather than a timeout.
    const job = await system.jobIn<JobView>(jobId, ...TERMINAL_JOB_STATES);
    const [personalised, license] = job.result?.applications ?? [];
    expect(personalised?.failure).toBeUndefined();
    expect(job.state).toBe('SUCCEEDED');
    currentCmk = NEW_CMK;
    expect(personalised?.steps?.map((s) => `${s.step}:${s.status}`)).toEqual([
      'InitToken:DONE',
      'SetPin:DONE',
      'ChangeCardManagerKey:DONE',
      'GenerateKeyPair:DONE',
      'WriteCertificate:DONE',
      'WriteCaCertificate:DONE',
    ]);
    expect(license?.license).toMatchObject({ licensePresent: true, acceptable: true });
    expect(license?.outputs.LICENSE_STATUS).toContain('"acceptable":true');
    expect(batch.credit).toBe(licenseOnToken ? 3 : 2);
    licenseOnToken = true;
    const audit = await api<{
      items: { action: string; details?: { jobId?: string; agentSignature?: string } }[];
    }>('GET', `/v1/audit?agentId=${AGENT}&limit=1000`, cloud.tokens.auditor);
    const entries = audit.items.filter((e) => e.details?.jobId === jobId).map((e) => e.action);
    expect(entries).toEqual(expect.arrayContaining(['job.create', 'job.sent', 'job.result']));
    expect(audit.items.find((e) => e.action === 'job.result')?.details?.agentSignature).toMatch(/^ey/);
    // The card serial on the result finds the job's audit entry, with an inclusion proof
    // against a signed checkpoint (docs/cloud.md, "Auditor").
    const card = (job as { result?: { card?: { serial?: string; tokenSerial?: string } } }).result?.card;
    const serial = card?.serial ?? card?.tokenSerial;
    expect(serial).toBeTruthy();
    await api('POST', '/v1/audit/checkpoint', cloud.tokens.admin);
    const proof = await api<{
      entries: { entry: { action: string; details?: { jobId?: string } }; proof: string[] }[];
    }>('GET', `/v1/audit/prove?card=${encodeURIComponent(serial ?? '')}`, cloud.tokens.auditor);
    expect(proof.entries.map((e) => [e.entry.action, e.entry.details?.jobId])).toContainEqual([
      'job.result',
      jobId,
    ]);
    const everything = JSON.stringify([job, audit]);
    expect(everything).not.toContain(NEW_CMK);
    expect(everything).not.toContain(NEW_PIN);
    // OpenSC's pkcs11-tool logs in with the new PIN and finds the objects.
    const listing = listObjectsWithNewPin(vendor);
    for (const label of PERSONALISED_LABELS) expect(listing).toContain(`label:      ${label}`);
    // Every item the whole chain wrote is in the table's key catalogue, and every
    // catalogued kind was written (with the rarer kinds added here).
    await writeTheRarerItems(system);
    await expectOnlyCataloguedItems(system);
  });
});
