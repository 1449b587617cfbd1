import {
  type JobClaims,
  localJwsSigner,
  signJobEnvelope,
  topics,
  verifyJobEnvelope,
} from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { AGENT, startSystem } from '../support/e2e-system';

// The same chain through both local brokers: the rig's Mosquitto and the embedded Aedes
// (clients authenticated, per-agent topic policy in its authorize hooks).
describe.each(['mosquitto', 'aedes'] as const)(
  'jobs end to end: API → signed envelope over %s → agent → card (pcscd + vpcd) → signed result → ingestion',
  (broker) => {
    let system: Awaited<ReturnType<typeof startSystem>>;
    beforeAll(async () => {
      system = await startSystem({ broker });
    });
    afterAll(() => system.close());
    // One job run to completion, shared by the tests that replay or tamper with its
    // envelope: whichever test runs first runs it (tests pass in any order).
    let completed: Promise<{ jobId: string; envelope: string }> | undefined;
    const oneCompletedJob = () => {
      completed ??= (async () => {
        const { jobId } = await system.api<{ jobId: string }>(
          'POST',
          '/v1/jobs',
          system.cloud.tokens.operatorBerlin,
          { agentId: AGENT, encodingId: 'read-version' },
        );
        const seen = system.envelopes.length;
        await publishJob(system.publication(), jobId);
        await system.jobIn(jobId, 'SUCCEEDED');
        await system.until('the envelope seen on the wire', () => system.envelopes.length > seen);
        await system.until('the acknowledgement', () => system.outbox.pending().length === 0);
        return { jobId, envelope: system.envelopes.at(-1) ?? '' };
      })();
      return completed;
    };
    const auditItems = () =>
      system
        .api<{ items: { action: string; details?: Record<string, unknown> }[] }>(
          'GET',
          `/v1/audit?agentId=${AGENT}&limit=1000`,
          system.cloud.tokens.auditor,
        )
        .then((r) => r.items);

    it('runs the job on the card and stores the signed result, acknowledged and audited', async () => {
      const { api, cloud, until, outbox } = system;
      const apdusBefore = system.counter.apdus;
      const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
        agentId: AGENT,
        encodingId: 'read-version',
      });
      await publishJob(system.publication(), jobId);
      type JobView = {
        state: string;
        result?: {
          card?: { atr: string };
          applications: { responseCodes?: string; outputs: Record<string, string> }[];
        };
      };
      let job: JobView = { state: 'QUEUED' };
      await until('the job to succeed', async () => {
        job = await api<JobView>('GET', `/v1/jobs/${jobId}`, cloud.tokens.operatorBerlin);
        return job.state === 'SUCCEEDED';
      });
      expect(job.result?.card?.atr).toBe('3BD218008131FE58C90217');
      expect(job.result?.applications[0]).toMatchObject({
        responseCodes: '9000,9000',
        outputs: { CARDOS_VERSION: 'C903' },
      });
      await until('the acknowledgement', () => outbox.pending().length === 0);
      const results = (await auditItems()).filter(
        (e) => e.action === 'job.result' && e.details?.jobId === jobId,
      );
      expect(results).toHaveLength(1);
      expect(results[0]?.details?.agentSignature).toMatch(/^ey/);
      expect(system.counter.apdus - apdusBefore).toBe(2);
      // The job passed through IN_PROGRESS (the agent's first progress event).
      const history = await api<{ history: { state: string }[] }>(
        'GET',
        `/v1/jobs/${jobId}`,
        cloud.tokens.auditor,
      );
      expect(history.history.map((h) => h.state)).toEqual(['QUEUED', 'SENT', 'IN_PROGRESS', 'SUCCEEDED']);
    });

    it('answers a replayed envelope DUPLICATE: one execution, one result, one audit entry', async () => {
      const { jobId, envelope } = await oneCompletedJob();
      const before = system.counter.apdus;
      const seen = system.envelopes.length;
      await system.publisher.publish(topics.jobs(AGENT), new TextEncoder().encode(envelope));
      await system.until('the replay to be handled', async () => {
        await system.daemon().idle();
        return system.envelopes.length > seen;
      });
      await system.daemon().idle();
      await system.until('the acknowledgement', () => system.outbox.pending().length === 0);
      expect(system.counter.apdus).toBe(before);
      expect(
        (await auditItems()).filter((e) => e.action === 'job.result' && e.details?.jobId === jobId),
      ).toHaveLength(1);
    });

    it('rejects forged, foreign-key, misaddressed, expired and out-of-order envelopes before any APDU', async () => {
      const { cloud } = system;
      const { envelope } = await oneCompletedJob();
      const before = system.counter.apdus;
      const now = Math.floor(Date.now() / 1000);
      const valid = await verifyJobEnvelope(envelope, {
        keys: new Map([[cloud.signer.kid, cloud.signer.publicKey]]),
        audience: AGENT,
        now,
      });
      const other = await generateKeyPair('ES256');
      const ours = cloud.signer;
      const fresh = (jobId: string, extra: Partial<JobClaims> = {}): JobClaims => ({
        ...valid,
        jti: `${jobId}:1`,
        job: { ...valid.job, id: jobId },
        seq: valid.seq + 10,
        ...extra,
      });
      const bad: [string, string][] = [
        [
          'ENVELOPE_BAD_SIGNATURE',
          await signJobEnvelope(fresh('forged'), localJwsSigner(cloud.signer.kid, other.privateKey)),
        ],
        [
          'ENVELOPE_UNKNOWN_KID',
          await signJobEnvelope(fresh('unknown-kid'), localJwsSigner('someone-else', other.privateKey)),
        ],
        [
          'ENVELOPE_WRONG_AUDIENCE',
          await signJobEnvelope(fresh('wrong-aud', { aud: 'agent-paris-1' }), ours),
        ],
        [
          'ENVELOPE_EXPIRED',
          await signJobEnvelope(fresh('expired', { nbf: now - 3600, exp: now - 600 }), ours),
        ],
        ['ENVELOPE_SEQ_NOT_GROWING', await signJobEnvelope(fresh('old-seq', { seq: valid.seq }), ours)],
      ];
      for (const [, raw] of bad)
        await system.publisher.publish(topics.jobs(AGENT), new TextEncoder().encode(raw));
      await system.until(
        'every rejection audited',
        async () =>
          (await auditItems()).filter((e) => e.action === 'envelope.rejected').length === bad.length,
      );
      const reasons = (await auditItems())
        .filter((e) => e.action === 'envelope.rejected')
        .map((e) => String(e.details?.reason));
      expect(reasons.sort()).toEqual(bad.map(([code]) => code).sort());
      expect(system.counter.apdus).toBe(before); // the card saw nothing
      await system.until('the outbox to drain', () => system.outbox.pending().length === 0);
    });

    it('shows the agent online with its reader inventory, and offline once it stops', async () => {
      type AgentsView = {
        items: {
          id: string;
          lastSeen?: string;
          presence?: {
            status: string;
            readers: { name: string; cardPresent: boolean; atr: string | null; cardNames: string[] }[];
          };
        }[];
      };
      const agent = async () =>
        (await system.api<AgentsView>('GET', '/v1/agents', system.cloud.tokens.operatorBerlin)).items.find(
          (a) => a.id === AGENT,
        );
      await system.until('presence online', async () => (await agent())?.presence?.status === 'online');
      const online = await agent();
      expect(online?.lastSeen).toBeDefined();
      expect(online?.presence?.readers.find((r) => r.name === system.readers.reader)).toMatchObject({
        cardPresent: true,
        atr: '3BD218008131FE58C90217',
        cardNames: expect.arrayContaining(['Atos CardOS 5.3 (PKI)']),
      });
      await system.stopAgent();
      await system.until('presence offline', async () => (await agent())?.presence?.status === 'offline');
      await system.startAgent();
    });
  },
);
