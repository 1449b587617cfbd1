import { type ApplicationResult, validateBundle } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { InProcessReaders } from '../readers/in-process-readers';
import { type ApplicationHandlers, CardLostError } from './application-port';
import { systemClock } from './clock';
import { type ProgressUpdate, runEncoding } from './job-runner';

function bundleOf(ini: string) {
  const result = validateBundle({ files: [{ name: 'e.ini', bytes: new TextEncoder().encode(ini) }] });
  if (!result.bundle) throw new Error(result.problems.map((p) => p.describe()).join('\n'));
  return result.bundle;
}

const TWO_TOKEN_APPS = [
  'ApplicationList=P,L',
  '[P]',
  'PKCS11Library=x.dll',
  'KeyPairLabel=k',
  '[L]',
  'PKCS11Library=x.dll',
  'LicenseAction=status',
].join('\n');

function readers() {
  const port = new InProcessReaders();
  port.insert('R', { atr: Uint8Array.of(0x3b, 0x00), reset() {}, transmit: () => Uint8Array.of(0x90, 0x00) });
  return port;
}

const done = (name: string, kind: ApplicationResult['kind']): ApplicationResult => ({
  name,
  kind,
  status: 'SUCCEEDED',
  outputs: {},
  apdus: [],
});

const refuseApdu: ApplicationHandlers['apdu'] = async () => {
  throw new Error('no APDU application in this encoding');
};

function run(
  bundle: ReturnType<typeof bundleOf>,
  handlers: ApplicationHandlers,
  onProgress?: (u: ProgressUpdate) => void,
) {
  return runEncoding({
    bundle,
    readers: readers(),
    reader: 'R',
    fields: { PIN: '1234' },
    secrets: { ADMIN_KEY: '987654' },
    prompter: { askPins: async () => [] },
    clock: systemClock,
    handlers,
    ...(onProgress ? { onProgress } : {}),
  });
}

describe('the job runner', () => {
  it('runs each application by the handler of its kind, in ApplicationList order, on one field store', async () => {
    const seen: string[] = [];
    const result = await run(bundleOf(TWO_TOKEN_APPS), {
      apdu: refuseApdu,
      pkcs11: async (app, { fields, channel }) => {
        seen.push(`pkcs11 ${app.name} on ${channel.reader}`);
        fields.set('WRITTEN', 'by P');
        return done(app.name, 'pkcs11');
      },
      license: async (app, { fields }) => {
        seen.push(`license ${app.name} reads ${fields.get('WRITTEN')}`);
        return done(app.name, 'license');
      },
    });
    expect(seen).toEqual(['pkcs11 P on R', 'license L reads by P']);
    expect(result).toMatchObject({ status: 'SUCCEEDED', card: { reader: 'R', atr: '3B00' } });
  });

  it('fails an application whose kind this station has no handler for, and skips the rest', async () => {
    const result = await run(bundleOf(TWO_TOKEN_APPS), { apdu: refuseApdu });
    expect(result.status).toBe('FAILED');
    expect(result.applications.map((a) => [a.name, a.status, a.failure?.code])).toEqual([
      ['P', 'FAILED', 'APPLICATION_KIND_UNAVAILABLE'],
      ['L', 'SKIPPED', undefined],
    ]);
  });

  it('stops the job with the code of a lost card, redacting secret values from its message', async () => {
    const result = await run(bundleOf(TWO_TOKEN_APPS), {
      apdu: refuseApdu,
      pkcs11: async () => {
        throw new CardLostError('CARD_REMOVED', 'line 3: gone while sending 987654', {
          details: { line: 3 },
        });
      },
      license: async (app) => done(app.name, 'license'),
    });
    expect(result.error?.code).toBe('CARD_REMOVED');
    expect(result.applications[0]?.failure).toMatchObject({ code: 'CARD_REMOVED', line: 3 });
    expect(result.applications[1]?.status).toBe('SKIPPED');
    expect(JSON.stringify(result)).not.toContain('987654');
  });

  it('tells progress with the application, its place in the encoding and the APDUs done', async () => {
    const updates: ProgressUpdate[] = [];
    await run(
      bundleOf(TWO_TOKEN_APPS),
      {
        apdu: refuseApdu,
        pkcs11: async (app, { progress }) => {
          progress(0, 2);
          progress(2, 2);
          return done(app.name, 'pkcs11');
        },
        license: async (app) => done(app.name, 'license'),
      },
      (update) => updates.push(update),
    );
    expect(updates).toEqual([
      { application: 'P', applicationIndex: 0, applicationCount: 2, apdusDone: 0, apdusTotal: 2 },
      { application: 'P', applicationIndex: 0, applicationCount: 2, apdusDone: 2, apdusTotal: 2 },
    ]);
  });

  it('says when the job waits for PINs at the station and when it goes on, with names and counts only', async () => {
    const updates: ProgressUpdate[] = [];
    await runEncoding({
      bundle: bundleOf(TWO_TOKEN_APPS),
      readers: readers(),
      reader: 'R',
      fields: {},
      prompter: { askPins: async () => [{ pin: '735194', confirmation: '735194' }] },
      clock: systemClock,
      handlers: {
        apdu: refuseApdu,
        pkcs11: async (app, { progress, prompter }) => {
          progress(0, 3);
          progress(1, 3);
          await prompter.askPins(app.name, [
            { line: 2, description: 'User PIN', rule: undefined, askOld: false, askTransport: false },
          ]);
          progress(3, 3);
          return done(app.name, 'pkcs11');
        },
        license: async (app) => done(app.name, 'license'),
      },
      onProgress: (update) => updates.push(update),
    });
    expect(updates.map((u) => [u.apdusDone, u.apdusTotal, u.phase])).toEqual([
      [0, 3, undefined],
      [1, 3, undefined],
      [1, 3, 'waiting-for-pin'],
      [1, 3, undefined],
      [3, 3, undefined],
    ]);
    expect(JSON.stringify(updates)).not.toContain('735194');
  });
});
