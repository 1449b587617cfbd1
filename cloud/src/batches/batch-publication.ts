import {
  type AgentTopics,
  buildBatchClaims,
  topics as localTopics,
  servedWireVersion,
  signBatchMessage,
} from '@cardfleet/shared';
import type { AgentStore } from '../agents/agent-store';
import type { Signer } from '../crypto/signer';
import type { Publisher } from '../publishing/publisher';
import type { Batch } from './batch-store';

/**
 * Tells the batch's agent that it is open (wait for cards on its reader and ask for
 * each one's job) or closed (and why), as a signed batch message on the agent's jobs
 * topic (docs/batches.md; shared/src/messages/batch-message.ts), in the wire version the
 * agent announced, like envelopes and cancels.
 */
export interface BatchPublicationDeps {
  agents: AgentStore;
  signer: Signer;
  publisher: Publisher;
  issuer: string;
  topics?: AgentTopics;
  /** Seconds since the epoch. */
  nowSeconds: () => number;
}

export type TellAgent = (batch: Batch) => Promise<void>;

export function batchTeller(deps: BatchPublicationDeps): TellAgent {
  return async (batch) => {
    const claims = buildBatchClaims(batch.agentId, {
      issuer: deps.issuer,
      now: deps.nowSeconds(),
      batch: {
        id: batch.batchId,
        office: batch.office,
        reader: batch.reader,
        encoding: { id: batch.encoding.id, version: batch.encoding.version },
        ...(batch.count === undefined ? {} : { count: batch.count }),
        stopAfterConsecutiveFailures: batch.stopAfterConsecutiveFailures,
        ...(batch.state === 'RUNNING'
          ? { status: 'OPEN' as const }
          : { status: 'CLOSED' as const, closed: { state: batch.state, reason: batch.reason ?? '' } }),
      },
    });
    const agent = await deps.agents.get(batch.agentId);
    const message = await signBatchMessage(claims, deps.signer, servedWireVersion(agent?.presence?.v));
    await deps.publisher.publish(
      (deps.topics ?? localTopics).jobs(batch.agentId),
      new TextEncoder().encode(message),
    );
  };
}
