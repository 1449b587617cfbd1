import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundleSha256,
  type JobClaims,
  type JobResult,
  type Logger,
  localJwsSigner,
  memoryLogger,
  type ProgressEvent,
  signCancelMessage,
  signJobEnvelope,
  silentLogger,
} from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { applicationHandlers } from '../applications/application-handlers';
import { InProcessReaders } from '../readers/in-process-readers';
import type { ApplicationHandlers } from '../runner/application-port';
import type { Clock } from '../runner/clock';
import { JobExecution } from './job-execution';
import { JobLedger } from './job-ledger';
import { agentKey, cloudKey, keys, NOW } from './test-envelopes';

const clock: Clock = { monotonicMs: () => 0, isoNow: () => new Date(NOW * 1000).toISOString() };
const base64 = (text: string) => Buffer.from(text).toString('base64');
const BUNDLE = [
  { name: 'e.ini', base64: base64('ApplicationList=A\n[A]\nApduFile=s.apdu\n') },
  { name: 's.apdu', base64: base64('RAW:00CA010100\n') },
];

const sha256Of = (files: { name: string; base64: string }[]) =>
  bundleSha256(files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })));

async function envelope(
  jobId: string,
  seq: number,
  bundle = BUNDLE,
  extra: Partial<JobClaims['job']> = {},
): Promise<Buffer> {
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

async function cancel(jobId: string): Promise<Buffer> {
  const claims = { iss: 'cardfleet-cloud', aud: 'agent-1', iat: NOW, nbf: NOW - 5, exp: NOW + 300 };
  const signed = await signCancelMessage(
    { ...claims, cancel: { jobId, attempt: 1 }, by: 'operator' },
    localJwsSigner('cloud-1', cloudKey.privateKey),
  );
  return Buffer.from(signed);
}

function station(
  handlers: ApplicationHandlers = applicationHandlers(),
  logger: Logger = silentLogger,
  answer = Uint8Array.of(0x90, 0x00),
) {
  const sent: string[] = [];
  const readers = new InProcessReaders();
  readers.insert('R', {
    atr: Uint8Array.of(0x3b, 0x00),
    reset() {},
    transmit: (command) => {
      sent.push(Buffer.from(command).toString('hex'));
      return answer;
    },
  });
  const ledger = new JobLedger(join(mkdtempSync(join(tmpdir(), 'cardfleet-jobs-')), 'ledger.jsonl'));
  const reported: JobResult[] = [];
  const cancelled: string[] = [];
  const progress: ProgressEvent[] = [];
  const jobs = new JobExecution({
    agentId: 'agent-1',
    keys,
    privateKey: agentKey.privateKey,
    ledger,
    readers,
    defaultReader: 'R',
    prompter: { askPins: async () => [] },
    clock,
    handlers,
    report: async (result) => {
      reported.push(result);
    },
    publishProgress: (event) => progress.push(event),
    logger,
    onCancel: (jobId) => cancelled.push(jobId),
  });
  return { jobs, ledger, sent, reported, cancelled, progress };
}

describe('the job loop', () => {
  it('runs an admitted job on the card, records its result and reports it', async () => {
    const { jobs, ledger, sent, reported } = station();
    jobs.enqueue(await envelope('job-1', 1));
    await jobs.idle();
    expect(sent).toEqual(['00ca010100']);
    expect(reported).toMatchObject([
      { jobId: 'job-1', attempt: 1, status: 'SUCCEEDED', startedAt: clock.isoNow() },
    ]);
    expect(ledger.lookup('job-1:1')?.result?.status).toBe('SUCCEEDED');
  });

  it('numbers the progress events of a run, so the cloud can drop one that arrives late', async () => {
    const { jobs, progress } = station();
    jobs.enqueue(await envelope('job-1', 1));
    await jobs.idle();
    expect(progress.map((p) => [p.jobId, p.attempt, p.seq, p.apdusDone, p.apdusTotal])).toEqual([
      ['job-1', 1, 1, 0, 1],
      ['job-1', 1, 2, 1, 1],
    ]);
  });

  it('ends CANCELED, without a card operation, a job whose cancel arrived before it', async () => {
    const { jobs, sent, reported, cancelled } = station();
    await jobs.cancel(await cancel('job-1'));
    expect(cancelled).toEqual(['job-1']);
    jobs.enqueue(await envelope('job-1', 1));
    await jobs.idle();
    expect(sent).toEqual([]);
    expect(reported).toMatchObject([{ jobId: 'job-1', status: 'CANCELED', error: { code: 'CANCELED' } }]);
  });

  it('ends CANCELED a job cancelled while it waited for its PINs', async () => {
    let asking: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => {
      asking = resolve;
    });
    let withdraw: () => void = () => undefined;
    const withdrawn = new Promise<void>((resolve) => {
      withdraw = resolve;
    });
    const { jobs, reported } = station({
      // Stands for an APDU application whose PIN prompt is withdrawn: nothing reaches the card.
      apdu: async (app) => {
        asking();
        await withdrawn;
        return { name: app.name, kind: 'apdu', status: 'FAILED', outputs: {}, apdus: [] };
      },
    });
    jobs.enqueue(await envelope('job-1', 1));
    await asked;
    await jobs.cancel(await cancel('job-1'));
    withdraw();
    await jobs.idle();
    expect(reported).toMatchObject([{ status: 'CANCELED', error: { code: 'CANCELED' } }]);
  });

  it('keeps the real result of a finished job and does not record a late cancel', async () => {
    const { jobs, ledger, reported, cancelled } = station();
    jobs.enqueue(await envelope('job-1', 1));
    await jobs.idle();
    await jobs.cancel(await cancel('job-1'));
    expect(ledger.isCancelled('job-1:1')).toBe(false);
    expect(cancelled).toEqual([]);
    expect(reported.map((r) => r.status)).toEqual(['SUCCEEDED']);
  });

  it('fails a job whose bundle does not validate, before any card operation', async () => {
    const { jobs, sent, reported } = station();
    jobs.enqueue(await envelope('job-1', 1, [{ name: 'e.ini', base64: base64('ApplicationList=A\n') }]));
    await jobs.idle();
    expect(sent).toEqual([]);
    expect(reported).toMatchObject([{ status: 'FAILED', error: { code: 'BUNDLE_INVALID' } }]);
  });

  it('reports a job the journal shows as started but unfinished INTERRUPTED, and never runs it', async () => {
    const { jobs, ledger, sent, reported } = station();
    ledger.accept('job-7:2', 7);
    await jobs.reportInterrupted();
    expect(sent).toEqual([]);
    expect(reported).toMatchObject([
      { jobId: 'job-7', attempt: 2, status: 'INTERRUPTED', error: { code: 'AGENT_RESTARTED' } },
    ]);
    expect(ledger.unfinished()).toEqual([]);
  });

  it('logs each line of a job with its id and the request id that created it, and a failure with its line and status word', async () => {
    const logger = memoryLogger();
    const { jobs } = station(applicationHandlers(), logger, Uint8Array.of(0x63, 0xc2));
    jobs.enqueue(await envelope('job-9', 1, BUNDLE, { requestId: 'req-abc' }));
    await jobs.idle();
    const lines = logger.records.filter((r) => r.jobId === 'job-9');
    expect(lines.map((r) => r.msg)).toEqual([
      'job job-9:1: accepted (encoding e v1)',
      expect.stringMatching(
        /^job job-9:1: FAILED — application "A", line 1: the card answered 63C2 \(verification failed, 2 tries left\)/,
      ),
    ]);
    expect(lines.every((r) => r.requestId === 'req-abc')).toBe(true);
    expect(lines[1]).toMatchObject({ level: 'warn', sw: '63C2', line: 1 });
  });
});
