import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobEvent, type ProgressEvent, recordLogger } from '@cardfleet/shared';
import { exportJWK } from 'jose';
import { followEventStream } from '../../cloud/console/src/api/event-stream';
import { startLocalCloud } from '../../cloud/src/node/start-local-cloud';
import { exampleFiles } from './test-cloud';

/**
 * The local cloud as `npm run cloud` runs it (dynalite on disk, API on Node, ingest in
 * the same process), with agent-1 of berlin enrolled and the read-version encoding, for
 * the live-events rig test and the console-latency benchmark.
 */
export async function localCloudForLive(options: { embeddedBroker?: boolean } = {}) {
  const local = await startLocalCloud({
    dataDir: mkdtempSync(join(tmpdir(), 'cardfleet-live-')),
    port: 0,
    logger: recordLogger(() => undefined),
    ...(options.embeddedBroker ? { embeddedBroker: {} } : {}),
  });
  const admin = await local.issuer.issue({ sub: 'alice', role: 'admin' });
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${local.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const added = await api('POST', '/v1/agents', { id: 'agent-1', office: 'berlin' });
  const { kty, crv, x, y } = await exportJWK(publicKey);
  await fetch(`${local.url}/v1/agents/agent-1/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: added.enrolmentCode, publicJwk: { kty, crv, x, y } }),
  });
  await api('POST', '/v1/encodings', { id: 'read-version', files: exampleFiles('read-version') });
  const newJob = async () =>
    String((await api('POST', '/v1/jobs', { agentId: 'agent-1', encodingId: 'read-version' })).jobId);
  return { local, admin, api, newJob, agentKey: privateKey as KeyObject };
}

export type LiveCloud = Awaited<ReturnType<typeof localCloudForLive>>;

/** A progress event of agent-1 on attempt 1 (the first one moves the job to IN_PROGRESS). */
export function progressEvent(jobId: string, seq: number, extra: Partial<ProgressEvent> = {}): ProgressEvent {
  return {
    jobId,
    attempt: 1,
    application: 'Application_1',
    applicationIndex: 0,
    applicationCount: 1,
    apdusDone: seq,
    apdusTotal: 100,
    seq,
    at: new Date(Date.now() + seq).toISOString(),
    ...extra,
  };
}

/** Follows a job's events with the console's client; `next(test)` waits for an event passing `test`. */
export function followJob(live: LiveCloud, jobId: string) {
  const controller = new AbortController();
  const seen: { job: JobEvent; at: number; id: string }[] = [];
  const waiters: { test: (job: JobEvent) => boolean; resolve: (at: number) => void }[] = [];
  const done = followEventStream({
    url: `${live.local.url}/v1/jobs/${jobId}/events`,
    headers: () => ({ authorization: `Bearer ${live.admin}` }),
    signal: controller.signal,
    onEvent: (event) => {
      const at = performance.now();
      const job = JSON.parse(event.data) as JobEvent;
      seen.push({ job, at, id: event.lastEventId });
      for (const waiter of [...waiters])
        if (waiter.test(job)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(at);
        }
    },
  });
  const next = (test: (job: JobEvent) => boolean) =>
    new Promise<number>((resolve) => {
      const already = seen.find((s) => test(s.job));
      if (already) resolve(already.at);
      else waiters.push({ test, resolve });
    });
  return { seen, next, done, stop: () => controller.abort() };
}

/**
 * `n` state changes, each on a fresh job followed from the start: agent-1's first
 * progress event through the function the ingest subscriber calls (`cloud.progress`),
 * which moves the job SENT → IN_PROGRESS in one store write (the cloud needs its broker
 * to publish the job: `embeddedBroker`). Each sample is the time
 * from that call to the console client holding the IN_PROGRESS event, in milliseconds.
 */
export async function timeStateChanges(live: LiveCloud, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const jobId = await live.newJob();
    const follower = followJob(live, jobId);
    await follower.next(() => true); // the job as it stands (QUEUED, or SENT with a broker)
    const started = performance.now();
    await live.local.cloud.progress('agent-1', progressEvent(jobId, 1));
    const shown = await follower.next((job) => job.state === 'IN_PROGRESS');
    samples.push(shown - started);
    follower.stop();
    await follower.done;
  }
  return samples;
}

/**
 * `n` progress updates on one job in progress ("APDU n of m"), each through
 * `cloud.progress`; each sample is the time from that call to the client holding it.
 */
export async function timeProgressUpdates(live: LiveCloud, n: number): Promise<number[]> {
  const jobId = await live.newJob();
  const follower = followJob(live, jobId);
  await live.local.cloud.progress('agent-1', progressEvent(jobId, 1));
  await follower.next((job) => job.progress?.seq === 1);
  const samples: number[] = [];
  for (let seq = 2; seq < n + 2; seq += 1) {
    const started = performance.now();
    await live.local.cloud.progress('agent-1', progressEvent(jobId, seq));
    samples.push((await follower.next((job) => job.progress?.seq === seq)) - started);
  }
  follower.stop();
  await follower.done;
  return samples;
}

/** The value at quantile q (0..1), nearest rank. */
export function quantileOf(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}
