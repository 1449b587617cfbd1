import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { AGENT, startSystem } from '../support/e2e-system';

describe.each(['mosquitto', 'aedes'] as const)('agent failures end to end (%s)', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({ broker });
  });
  afterAll(() => system.close());
  const stateOf = (jobId: string) =>
    system.api<{ state: string; attempt: number }>(
      'GET',
      `/v1/jobs/${jobId}`,
      system.cloud.tokens.operatorBerlin,
    );

  it('reports a job cut off by an agent crash as INTERRUPTED, never re-runs it, and runs an explicit retry as attempt 2', async () => {
    const { api, cloud, until } = system;
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    // The agent goes down; the job is published while it is away (the broker keeps it).
    await system.stopAgent();
    const { seq } = await publishJob(system.publication(), jobId);
    // As if the agent had journaled the job and then died mid-card (SIGKILL):
    new JobLedger(system.ledgerPath).accept(`${jobId}:1`, seq);
    const before = system.counter.apdus;
    await system.startAgent();
    await until('INTERRUPTED to arrive', async () => (await stateOf(jobId)).state === 'INTERRUPTED');
    await system.daemon().idle();
    expect(system.counter.apdus).toBe(before); // the redelivered envelope was not run again
    const retried = await api<{ attempt: number; state: string }>(
      'POST',
      `/v1/jobs/${jobId}/retry`,
      cloud.tokens.operatorBerlin,
    );
    expect(retried).toMatchObject({ attempt: 2, state: 'QUEUED' });
    await publishJob(system.publication(), jobId);
    await until('attempt 2 to succeed', async () => (await stateOf(jobId)).state === 'SUCCEEDED');
    expect(system.counter.apdus).toBe(before + 2);
    expect((await stateOf(jobId)).attempt).toBe(2);
  });

  it('delivers the result once the cloud is back after being unreachable', async () => {
    const { api, cloud, until } = system;
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    await system.stopIngestion();
    await publishJob(system.publication(), jobId);
    await until(
      'the agent to finish',
      async () => new JobLedger(system.ledgerPath).lookup(`${jobId}:1`)?.result !== undefined,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await stateOf(jobId)).state).toBe('SENT'); // nobody ingested it yet
    expect(system.outbox.pending().length).toBe(1); // kept until acknowledged
    await system.startIngestion();
    await until('the result to be ingested', async () => (await stateOf(jobId)).state === 'SUCCEEDED');
    await until('the acknowledgement', () => system.outbox.pending().length === 0);
  });

  it('fails a job whose card is pulled out mid-script with the PC/SC reason', async () => {
    const { api, cloud, until } = system;
    system.hooks.onApdu = () => {
      system.hooks.onApdu = undefined;
      void system.readers.remove(0);
    };
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    await publishJob(system.publication(), jobId);
    await until('the job to fail', async () => (await stateOf(jobId)).state === 'FAILED');
    const job = await api<{
      result: { error: { code: string }; applications: { failure?: { code: string; line?: number } }[] };
    }>('GET', `/v1/jobs/${jobId}`, cloud.tokens.operatorBerlin);
    expect(job.result.error.code).toBe('CARD_REMOVED');
    expect(job.result.applications[0]?.failure).toMatchObject({ code: 'CARD_REMOVED', line: 3 });
    await system.reinsertCard();
  });
});
