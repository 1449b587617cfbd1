import {
  type AgentTopics,
  executionId,
  type JobResult,
  type JwsSigner,
  type Logger,
  topics as localTopics,
  parseAcknowledgement,
  signResultMessage,
  toWireMessages,
} from '@cardfleet/shared';
import type { CryptoKey, KeyObject } from 'jose';
import type { ResultOutbox } from './result-outbox';
import { resultSigner } from './result-signing';

/**
 * How results leave the agent: signed with the agent's key, written to the durable
 * outbox (fsync) before the first publish, published on the results topic — in numbered
 * parts when larger than IoT Core's 128 KB — and published again until the cloud's
 * acknowledgement (`{ jobId, attempt }` on the acks topic) removes them from the outbox.
 * The outbox key is the execution id `<jobId>:<attempt>`, what the acknowledgement names.
 */
export class ResultReporter {
  private readonly signer: JwsSigner;

  constructor(
    private readonly deps: {
      agentId: string;
      privateKey: CryptoKey | KeyObject;
      outbox: ResultOutbox;
      /** QoS 1 publish on the agent's connection (resolves on PUBACK). */
      publish: (topic: string, payload: string) => Promise<unknown>;
      logger: Logger;
      /** The topic tree (default: the local one). */
      topics?: AgentTopics;
    },
  ) {
    this.signer = resultSigner(deps.agentId, deps.privateKey);
  }

  async report(result: JobResult): Promise<void> {
    const key = executionId(result.jobId, result.attempt);
    // What happened was logged by the job loop (job-execution.ts); here only that it is kept.
    this.deps.logger.debug(`job ${key}: result signed and kept until acknowledged`, {
      jobId: result.jobId,
      attempt: result.attempt,
    });
    const message = await signResultMessage(result, this.signer);
    this.deps.outbox.put(key, message);
    await this.publish(key, message);
  }

  /** Publishes again what is still unacknowledged (written at least `olderThanMs` ago). */
  flush(olderThanMs = 0): void {
    for (const { key, message } of this.deps.outbox.pending(olderThanMs))
      void this.publish(key, message).catch(() => undefined);
  }

  acknowledge(payload: Buffer): void {
    try {
      const ack = parseAcknowledgement(payload.toString());
      const key = executionId(ack.jobId, ack.attempt);
      this.deps.outbox.acknowledge(key);
      this.deps.logger.info(`job ${key}: result acknowledged by the cloud`, {
        jobId: ack.jobId,
        attempt: ack.attempt,
      });
    } catch {
      // not an acknowledgement we understand
    }
  }

  private async publish(key: string, message: string): Promise<void> {
    for (const wire of toWireMessages(key, message))
      await this.deps.publish((this.deps.topics ?? localTopics).results(this.deps.agentId), wire);
  }
}
