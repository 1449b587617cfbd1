import { LOST, type RetryPolicy, retryOptimistic } from '../storage/optimistic-retry';
import { keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';

/** Which job attempt a published envelope carried, and for which agent. */
export interface SentEnvelope {
  jobId: string;
  attempt: number;
  agentId: string;
}

/**
 * What publishing remembers about the envelopes it sends: each envelope's job attempt
 * by the envelope's sha256 (an agent that refuses an envelope before verifying it names
 * only that hash, result-ingestion.ts), and each agent's job sequence number `seq`
 * (shared/src/messages/job-claims.ts: it only grows; an agent refuses one that does not).
 */
export class EnvelopeRecords {
  constructor(
    private readonly table: Table,
    private readonly retryPolicy?: RetryPolicy,
  ) {}

  async record(envelopeSha256: string, sent: SentEnvelope): Promise<void> {
    await this.table.put({ ...keys.envelope(envelopeSha256), ...sent });
  }

  async find(envelopeSha256: string): Promise<SentEnvelope | undefined> {
    const item = await this.table.get(keys.envelope(envelopeSha256));
    return item
      ? { jobId: String(item.jobId), attempt: Number(item.attempt), agentId: String(item.agentId) }
      : undefined;
  }

  /** The agent's next job sequence number, taken with an optimistic single-item write. */
  async nextSeq(agentId: string): Promise<number> {
    const key = keys.agentSeq(agentId);
    return retryOptimistic(
      `the job sequence of ${agentId}`,
      async () => {
        const current = await this.table.get(key);
        const seq = (current ? Number(current.seq) : 0) + 1;
        const expected = current ? Number(current.version) : undefined;
        return (await this.table.putIfVersion({ ...key, seq, version: seq }, expected)) ? seq : LOST;
      },
      this.retryPolicy,
    );
  }
}
