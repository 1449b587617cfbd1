import type { BatchRequest } from '@cardfleet/shared';
import type { AgentStore } from '../agents/agent-store';
import type { AuditLog } from '../audit/audit-log';
import type { KeyWrapper } from '../crypto/envelope-encryption';
import type { Signer } from '../crypto/signer';
import type { EncodingStore } from '../encodings/encoding-store';
import type { JobStore } from '../jobs/job-store';
import { type PublicationDeps, publishJob } from '../publishing/job-publication';
import type { ReleaseGate } from '../releases/release-gate';
import type { ResultStore } from '../results/result-store';
import type { Table } from '../storage/table-port';
import { cardJobCreator } from './batch-jobs';
import { batchTeller } from './batch-publication';
import { type BatchDeps, nextCard } from './batch-service';
import { BatchStore } from './batch-store';

/** The batch parts over the cloud's stores (compose.ts): the routes' deps and the ingest's "next card". */
export function batchComposition(
  parts: {
    table: Table;
    keyWrapper: KeyWrapper;
    audit: AuditLog;
    now: () => string;
    agents: AgentStore;
    encodings: EncodingStore;
    jobs: JobStore;
    results: ResultStore;
    signer: Signer;
    /** The release gate (docs/releases.md): a batch starts only on what the office may run. */
    releaseGate?: ReleaseGate;
  },
  publication: PublicationDeps | undefined,
) {
  const deps: BatchDeps = {
    batches: new BatchStore(parts.table, parts.keyWrapper, parts.audit, parts.now),
    agents: parts.agents,
    encodings: parts.encodings,
    jobs: parts.jobs,
    results: (jobId, attempt) => parts.results.read(jobId, attempt),
    createCardJob: cardJobCreator({
      agents: parts.agents,
      encodings: parts.encodings,
      jobs: parts.jobs,
      ...(publication ? { onJobQueued: (jobId: string) => publishJob(publication, jobId) } : {}),
    }),
    ...(publication
      ? {
          tellAgent: batchTeller({
            agents: parts.agents,
            signer: parts.signer,
            publisher: publication.publisher,
            issuer: publication.issuer,
            nowSeconds: publication.nowSeconds,
            ...(publication.topics ? { topics: publication.topics } : {}),
          }),
        }
      : {}),
    now: parts.now,
    ...(parts.releaseGate
      ? {
          mayRun: async (office: string, encoding: { id: string; version: number }) => {
            await parts.releaseGate?.admit({ office, encoding });
          },
          defaultVersion: (encodingId: string, office: string) =>
            parts.releaseGate?.defaultVersion(encodingId, office) ?? Promise.resolve(undefined),
        }
      : {}),
  };
  return { deps, nextCard: (agentId: string, request: BatchRequest) => nextCard(deps, agentId, request) };
}
