import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobResult, silentLogger, verifyResultMessage } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { ResultOutbox } from './result-outbox';
import { ResultReporter } from './result-reporter';

const result: JobResult = {
  jobId: 'job-1',
  attempt: 2,
  agentId: 'agent-1',
  status: 'SUCCEEDED',
  finishedAt: '2027-01-15T08:00:01.000Z',
  applications: [],
};

describe('the result reporter', async () => {
  const key = await generateKeyPair('ES256');
  const reporter = () => {
    const outbox = new ResultOutbox(mkdtempSync(join(tmpdir(), 'cardfleet-outbox-')));
    const published: { topic: string; payload: string }[] = [];
    const created = new ResultReporter({
      agentId: 'agent-1',
      privateKey: key.privateKey,
      outbox,
      publish: async (topic, payload) => published.push({ topic, payload }),
      logger: silentLogger,
    });
    return { reporter: created, outbox, published };
  };

  it('publishes a result message the cloud verifies, kept in the outbox under its execution id', async () => {
    const { reporter: r, outbox, published } = reporter();
    await r.report(result);
    expect(published.map((p) => p.topic)).toEqual(['cardfleet/agents/agent-1/results']);
    const verified = await verifyResultMessage(published[0]?.payload ?? '', key.publicKey, 'agent-1');
    expect(verified).toMatchObject({ result, version: 3 });
    expect(outbox.pending().map((p) => p.key)).toEqual(['job-1:2']);
  });

  it('forgets a result on an acknowledgement of either wire version, and ignores one it cannot read', async () => {
    for (const ack of ['{"v":2,"jobId":"job-1","attempt":2}', '{"jobId":"job-1","attempt":2}']) {
      const { reporter: r, outbox } = reporter();
      await r.report(result);
      r.acknowledge(Buffer.from('{"v":4,"jobId":"job-1","attempt":2}'));
      expect(outbox.pending()).toHaveLength(1);
      r.acknowledge(Buffer.from(ack));
      expect(outbox.pending()).toHaveLength(0);
    }
  });
});
