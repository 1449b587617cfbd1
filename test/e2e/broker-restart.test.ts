import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { AGENT, startSystem } from '../support/e2e-system';

// The broker goes away while the card is in the middle of a job and comes back empty
// (no persistence: every session is lost). The agent finishes the job regardless, keeps
// the signed result in its outbox, reconnects, subscribes again and delivers it; the
// cloud's ingestion reconnects and subscribes again too. Through a Mosquitto of the
// test's own (password + ACL files) and through the embedded Aedes.
describe.each(['own-mosquitto', 'aedes'] as const)('broker restarted mid-job (%s)', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({ broker });
  });
  afterAll(() => system.close());

  it('the job completes on the card and its result arrives once the broker is back', async () => {
    const { api, cloud, until, outbox } = system;
    // The card holds its answer to the first APDU until the broker is down.
    const card = system.holdNextAnswer();
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    await publishJob(system.publication(), jobId);
    await until('the first APDU to reach the card', () => card.commands() === 1);
    await system.stopBroker();
    card.release();
    await until('the agent to finish the job while the broker is down', () => outbox.pending().length === 1);
    expect(system.counter.apdus).toBe(2);
    await system.startBroker();

    const job = await system.jobIn<
      { result?: { applications: { responseCodes?: string }[] } } & { state: string }
    >(jobId, 'SUCCEEDED');
    expect(job.result?.applications[0]?.responseCodes).toBe('9000,9000');
    await until('the acknowledgement', () => outbox.pending().length === 0);
    const audit = await api<{ items: { action: string; subject?: string; details?: { jobId?: string } }[] }>(
      'GET',
      `/v1/audit?agentId=${AGENT}&limit=1000`,
      cloud.tokens.auditor,
    );
    expect(audit.items.filter((e) => e.action === 'job.result')).toHaveLength(1);
    expect(system.counter.apdus).toBe(2); // run once, never again
  });
});
