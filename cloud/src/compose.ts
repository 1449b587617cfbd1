import {
  type AgentTopics,
  CardfleetError,
  type JobResult,
  type Logger,
  type Presence,
  type ProgressEvent,
  progressMoves,
} from '@cardfleet/shared';
import { revokeAgent } from './agents/agent-revocation';
import { AgentStore } from './agents/agent-store';
import { AuditLog, type AuditLogOptions } from './audit/audit-log';
import type { TokenVerifier } from './auth/identity';
import { batchComposition } from './batches/batch-composition';
import { cachingKeyWrapper } from './crypto/caching-key-wrapper';
import type { KeyWrapper } from './crypto/envelope-encryption';
import { EncodingStore } from './encodings/encoding-store';
import { type AppDeps, createApp } from './http/app';
import { type LiveSettings, liveComposition } from './http/live-composition';
import { JobStore } from './jobs/job-store';
import { type CloudMetrics, cloudMetrics } from './observability/cloud-metrics';
import { EnvelopeRecords } from './publishing/envelope-records';
import { type PublicationDeps, publishJob } from './publishing/job-publication';
import type { Publisher } from './publishing/publisher';
import { ReleaseGate, type ReleaseGateMode } from './releases/release-gate';
import { ReleaseStore } from './releases/release-store';
import { VersionLifecycles } from './releases/version-lifecycles';
import { RejectionReports } from './results/rejection-reports';
import { ingestResult } from './results/result-ingestion';
import { receiveResultMessage } from './results/result-messages';
import { ResultStore } from './results/result-store';
import { refuseRevokedResult } from './results/revoked-results';
import { LruCache } from './storage/lru-cache';
import { keys } from './storage/table-design';
import type { Table } from './storage/table-port';

/** Composition root: the stores over one table, and the app over the stores. */
export interface CloudParts {
  table: Table;
  tokens: TokenVerifier;
  keyWrapper: KeyWrapper;
  signer: AppDeps['signer'];
  /** Public keys of earlier signing keys, still served (rotation). */
  previousKeys?: AppDeps['previousKeys'];
  /** Public keys published before they sign (rotation, step 1). */
  nextKeys?: AppDeps['nextKeys'];
  /** Where jobs go out (mqtt.js locally, the IoT data plane in AWS): jobs are published when queued. */
  publication?: {
    publisher: Publisher;
    issuer: string /** Default: the local tree. */;
    topics?: AgentTopics;
  };
  now?: () => string;
  /** Wraps the audit data key (default: `keyWrapper`; in AWS its own KMS key). */
  auditKeyWrapper?: KeyWrapper;
  /** The audit log's shards, checkpoint trigger and witness (docs/cloud.md, "Auditor"). */
  audit?: AuditLogOptions;
  /**
   * After an agent's revocation is stored and its open jobs ended: the broker's part —
   * the embedded broker disconnects the agent; Mosquitto in the rig reloads its password
   * file (docs/security.md, "Revocation"). In AWS nothing is needed: the custom
   * authorizer refuses the agent at its next connection or policy refresh.
   */
  onAgentRevoked?: (agentId: string) => Promise<void> | void;
  /** Structured logs (docs/cloud.md, "Logs"; default: JSON lines on stderr). */
  logger?: Logger;
  /** The cloud's counters (default: new ones; in AWS with an embedded-metric-format hook). */
  metrics?: CloudMetrics;
  /** Serve the counters at `/metrics` (the local cloud only). */
  serveMetrics?: boolean;
  /** Whether the broker publisher is connected, for `/readyz` (none: no broker to check). */
  brokerConnected?: () => boolean;
  /** Releases (docs/releases.md): `enforced` unless a test composes the cloud `open`. */
  releaseGate?: ReleaseGateMode;
  /** The web console at /console/ (docs/console.md). */
  console?: AppDeps['console'];
  /** How the live routes notice changes (http/live-composition.ts; default: this process's writes). */
  live?: LiveSettings;
}

export function composeCloud(parts: CloudParts) {
  const now = parts.now ?? (() => new Date().toISOString());
  // One KMS unwrap per data key per instance (docs/benchmarks.md, "Cost per job").
  const keyWrapper = cachingKeyWrapper(parts.keyWrapper);
  const auditKeyWrapper = parts.auditKeyWrapper ? cachingKeyWrapper(parts.auditKeyWrapper) : keyWrapper;
  const audit = new AuditLog(parts.table, parts.signer, auditKeyWrapper, { now, ...parts.audit });
  const encodings = new EncodingStore(parts.table, keyWrapper, audit, now);
  const agents = new AgentStore(parts.table, audit, now);
  const releases = new ReleaseStore(
    parts.table,
    audit,
    new VersionLifecycles(parts.table, audit, encodings, now),
    now,
  );
  const releaseGate = new ReleaseGate(releases, encodings, parts.releaseGate ?? 'enforced');
  // Job and batch writes go through the table the live routes watch (http/live-composition.ts).
  const live = liveComposition(parts.table, parts.live);
  const jobs = new JobStore(live.table, keyWrapper, audit, now);
  jobs.admission = releaseGate;
  const results = new ResultStore(parts.table);
  const envelopes = new EnvelopeRecords(parts.table);
  const rejections = new RejectionReports(parts.table, agents, audit, now);
  const publication: PublicationDeps | undefined = parts.publication && {
    envelopes,
    jobs,
    agents,
    encodings,
    signer: parts.signer,
    publisher: parts.publication.publisher,
    issuer: parts.publication.issuer,
    ...(parts.publication.topics ? { topics: parts.publication.topics } : {}),
    nowSeconds: () => Math.floor(Date.now() / 1000),
    ...(parts.logger ? { logger: parts.logger } : {}),
    hold: (job) => releaseGate.hold(job),
  };
  const metrics = parts.metrics ?? cloudMetrics();
  const batches = batchComposition(
    {
      table: live.table,
      keyWrapper,
      audit,
      now,
      agents,
      encodings,
      jobs,
      results,
      signer: parts.signer,
      releaseGate,
    },
    publication,
  );
  const app = createApp({
    batches: batches.deps,
    live: live.live,
    ...(parts.logger ? { logger: parts.logger } : {}),
    metrics,
    serveMetrics: parts.serveMetrics ?? false,
    readiness: {
      // One item read: the table answers (an absent item is an answer).
      storage: async () => {
        await parts.table.get(keys.openJob('readyz'));
        return true;
      },
      ...(parts.brokerConnected ? { broker: parts.brokerConnected } : {}),
    },
    jobsForCard: (cardSerial) => results.jobsForCard(cardSerial),
    tokens: parts.tokens,
    encodings,
    agents,
    jobs,
    results: (jobId, attempt) => results.read(jobId, attempt),
    audit,
    releases: { store: releases, gate: releaseGate },
    signer: parts.signer,
    ...(parts.previousKeys ? { previousKeys: parts.previousKeys } : {}),
    ...(parts.nextKeys ? { nextKeys: parts.nextKeys } : {}),
    ...(publication ? { onJobQueued: (jobId: string) => publishJob(publication, jobId) } : {}),
    ...(parts.onAgentRevoked ? { onAgentRevoked: parts.onAgentRevoked } : {}),
    ...(parts.console ? { console: parts.console } : {}),
  });
  const ingest = async (result: JobResult, signature?: string) => {
    const ingested = await ingestResult(
      { results, envelopes, jobs, audit, rejections, now, releases: releaseGate },
      result,
      signature,
    );
    // A result seen before (a resend) counts once.
    if (!ingested.duplicate) metrics.jobsFinished.inc({ outcome: ingested.state });
    parts.logger?.info('result ingested', {
      jobId: result.jobId,
      attempt: result.attempt,
      status: result.status,
      state: ingested.state,
      duplicate: ingested.duplicate,
      ...(result.error ? { code: result.error.code } : {}),
    });
    return ingested;
  };
  // The first progress event of an attempt means the agent started it on the card; the
  // attempts seen started are remembered, so later events of one run read nothing before
  // their write. Each event that changes the job's kept progress is one write
  // (docs/messaging.md, "Progress"; the first one also moves SENT → IN_PROGRESS).
  const started = new LruCache<string, true>(10_000);
  const progress = async (agentId: string, event: ProgressEvent) => {
    const attempt = `${agentId} ${event.jobId} ${event.attempt}`;
    if (!started.get(attempt)) {
      const job = await jobs.get(event.jobId);
      if (!job || job.agentId !== agentId || job.attempt !== event.attempt) return;
      // Read only for the move (not for every event): a revoked agent moves nothing.
      if (progressMoves(job.state) && (await agents.get(agentId, { presence: false }))?.state === 'REVOKED')
        throw new CardfleetError('AGENT_REVOKED', `agent ${agentId} is revoked: its progress is refused`);
      // Past QUEUED: this event moves it (or it moved before); no later event needs the checks.
      if (job.state !== 'QUEUED') started.set(attempt, true);
    }
    await jobs.recordProgress(agentId, event);
  };
  const presence = (agentId: string, update: Presence) => agents.recordPresence(agentId, update);
  const receiveResult = (agentId: string, payload: string) =>
    receiveResultMessage(
      {
        agents,
        results,
        ingest,
        refuseRevoked: (agent, result) => refuseRevokedResult({ audit, jobs, envelopes, now }, agent, result),
        nowSeconds: () => Math.floor(Date.now() / 1000),
      },
      agentId,
      payload,
    );
  return {
    app,
    audit,
    encodings,
    agents,
    jobs,
    results,
    envelopes,
    ingest,
    receiveResult: counted(metrics, 'result', receiveResult),
    progress: counted(metrics, 'progress', progress),
    presence: counted(metrics, 'presence', presence),
    /** An agent's "next card" of a batch (docs/batches.md): that card's job. */
    batch: counted(metrics, 'batch', batches.nextCard),
    batches: batches.deps,
    publication,
    metrics,
    releases,
    releaseGate,
    /** An admin revokes an agent: REVOKED, its open jobs ended, the broker told (as the API route does). */
    revokeAgent: (agentId: string, actor: string) =>
      revokeAgent(
        { agents, jobs, ...(parts.onAgentRevoked ? { onAgentRevoked: parts.onAgentRevoked } : {}) },
        agentId,
        actor,
      ),
  };
}

/** Counts each agent message taken in by kind, and whether it was taken or refused. */
function counted<A extends unknown[], R>(
  metrics: CloudMetrics,
  kind: string,
  take: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      const taken = await take(...args);
      metrics.ingested.inc({ kind, outcome: 'ok' });
      return taken;
    } catch (error) {
      metrics.ingested.inc({ kind, outcome: 'refused' });
      throw error;
    }
  };
}
