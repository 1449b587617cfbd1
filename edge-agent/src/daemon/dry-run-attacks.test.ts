import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundleSha256,
  type JobClaims,
  type JobResult,
  localJwsSigner,
  signJobEnvelope,
  silentLogger,
} from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { applicationHandlers } from '../applications/application-handlers';
import { InProcessReaders } from '../readers/in-process-readers';
import type { Clock } from '../runner/clock';
import { createVirtualCard } from '../virtual-card/card-profile';
import type { VirtualCard } from '../virtual-card/virtual-card';
import { DRY_RUN_READER } from './dry-run-target';
import { JobExecution } from './job-execution';
import { JobLedger } from './job-ledger';
import { agentKey, cloudKey, keys, NOW } from './test-envelopes';

/**
 * Dry runs on the agent (docs/security.md, "Dry runs"): each test stops a job reaching a
 * card it must not reach — a dry run a reader's card, a card job the dry-run card.
 */
const clock: Clock = { monotonicMs: () => 0, isoNow: () => new Date(NOW * 1000).toISOString() };
const base64 = (text: string) => Buffer.from(text).toString('base64');
const CARDOS = JSON.parse(
  readFileSync(new URL('../../../examples/cards/cardos.json', import.meta.url), 'utf8'),
) as unknown;
const READ_SERIAL = [
  { name: 'e.ini', base64: base64('ApplicationList=A\n[A]\nApduFile=s.apdu\n') },
  { name: 's.apdu', base64: base64('RAW[SERIAL]:00CA018108\nRAW:00CA018202\n') },
];
const WITH_PKCS11 = [
  {
    name: 'e.ini',
    base64: base64(
      'ApplicationList=T,A\n[T]\nPKCS11Library=IDPrimePKCS11.dll\nSetPin=true\nNewPin=${PIN}\n[A]\nApduFile=s.apdu\n',
    ),
  },
  { name: 's.apdu', base64: base64('RAW:00CA018202\n') },
];

const sha256Of = (files: { name: string; base64: string }[]) =>
  bundleSha256(files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })));

let seq = 0;
async function envelope(extra: Partial<JobClaims['job']>, bundle = READ_SERIAL): Promise<Buffer> {
  seq += 1;
  const jobId = `job-${seq}`;
  const claims: JobClaims = {
    iss: 'cardfleet-cloud',
    aud: 'agent-1',
    iat: NOW,
    nbf: NOW - 5,
    exp: NOW + 300,
    jti: `${jobId}:1`,
    seq,
    job: {
      id: jobId,
      attempt: 1,
      office: 'berlin',
      encoding: { id: 'e', version: 1, sha256: sha256Of(bundle) },
      bundle,
      fields: {},
      secretFields: [],
      ...extra,
    },
  };
  return Buffer.from(await signJobEnvelope(claims, localJwsSigner('cloud-1', cloudKey.privateKey)));
}

/** A card that records what reaches it. */
function recording(label: string, sent: string[], inner?: VirtualCard): VirtualCard {
  return {
    atr: inner?.atr ?? Uint8Array.of(0x3b, 0x00),
    reset: () => inner?.reset(),
    transmit: (command) => {
      sent.push(`${label}:${Buffer.from(command).toString('hex')}`);
      return inner ? inner.transmit(command) : Uint8Array.of(0x90, 0x00);
    },
  };
}

function station(options: { dryRunCard: boolean }) {
  const sent: string[] = [];
  const readers = new InProcessReaders();
  readers.insert('R', recording('reader', sent));
  const made: number[] = [];
  const pkcs11Calls: string[] = [];
  const ledger = new JobLedger(join(mkdtempSync(join(tmpdir(), 'cardfleet-dry-')), 'ledger.jsonl'));
  const reported: JobResult[] = [];
  const jobs = new JobExecution({
    agentId: 'agent-1',
    keys,
    privateKey: agentKey.privateKey,
    ledger,
    readers,
    defaultReader: 'R',
    prompter: { askPins: async () => [] },
    clock,
    handlers: applicationHandlers({
      pkcs11: async (app) => {
        pkcs11Calls.push(app.name);
        return { name: app.name, kind: 'pkcs11', status: 'SUCCEEDED', outputs: {}, apdus: [] };
      },
    }),
    ...(options.dryRunCard
      ? {
          dryRunCard: () => {
            made.push(made.length + 1);
            return recording('dry', sent, createVirtualCard(CARDOS));
          },
        }
      : {}),
    report: async (result) => {
      reported.push(result);
    },
    publishProgress: () => undefined,
    logger: silentLogger,
  });
  const run = async (payload: Buffer) => {
    jobs.enqueue(payload);
    await jobs.idle();
    return reported.at(-1);
  };
  return { run, sent, made, pkcs11Calls };
}

describe('dry runs on the agent', () => {
  it('runs a dry run on the in-process dry-run card and returns its APDU trace', async () => {
    const { run, sent } = station({ dryRunCard: true });
    const result = await run(await envelope({ dryRun: true }));
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      card: { reader: DRY_RUN_READER, atr: '3BD218008131FE58C90217' },
    });
    expect(result?.applications[0]?.apdus.map((a) => [a.line, a.command, a.sw])).toEqual([
      [1, '00CA018108', '9000'],
      [2, '00CA018202', '9000'],
    ]);
    expect(result?.applications[0]?.outputs.SERIAL).toBe('0A1B2C3D4E5F6071');
    expect(sent.every((line) => line.startsWith('dry:'))).toBe(true);
  });

  it('never sends a dry run to the reader it names (a dry run diverted to a real card)', async () => {
    const { run, sent } = station({ dryRunCard: true });
    const result = await run(await envelope({ dryRun: true, reader: 'R' }));
    expect(result?.card?.reader).toBe(DRY_RUN_READER);
    expect(sent.filter((line) => line.startsWith('reader:'))).toEqual([]);
  });

  it('refuses a dry run on an agent without a dry-run card, without touching the reader', async () => {
    const { run, sent } = station({ dryRunCard: false });
    const result = await run(await envelope({ dryRun: true }));
    expect(result).toMatchObject({
      status: 'FAILED',
      error: { code: 'DRY_RUN_UNAVAILABLE' },
      applications: [],
    });
    expect(sent).toEqual([]);
  });

  it('never runs a job without the flag on the dry-run card, even when it names the dry-run reader', async () => {
    const { run, sent, made } = station({ dryRunCard: true });
    const plain = await run(await envelope({}));
    expect(plain?.card?.reader).toBe('R');
    const named = await run(await envelope({ reader: DRY_RUN_READER }));
    expect(named).toMatchObject({ status: 'FAILED', error: { code: 'UNKNOWN_READER' } });
    expect(made).toEqual([]);
    expect(sent.filter((line) => line.startsWith('dry:'))).toEqual([]);
  });

  it('gives every dry run a fresh card, so one dry run never sees what another wrote', async () => {
    const { run, made } = station({ dryRunCard: true });
    await run(await envelope({ dryRun: true }));
    await run(await envelope({ dryRun: true }));
    expect(made).toEqual([1, 2]);
  });

  it('skips PKCS#11 applications in a dry run with a typed reason, never calling the middleware', async () => {
    const { run, pkcs11Calls } = station({ dryRunCard: true });
    const result = await run(await envelope({ dryRun: true, fields: { PIN: '1234' } }, WITH_PKCS11));
    expect(pkcs11Calls).toEqual([]);
    expect(result?.applications.map((a) => [a.name, a.status, a.failure?.code])).toEqual([
      ['T', 'SKIPPED', 'DRY_RUN_NOT_RUNNABLE'],
      ['A', 'SUCCEEDED', undefined],
    ]);
  });
});
