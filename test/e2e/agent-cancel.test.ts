import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCancel, publishJob } from '../../cloud/src/publishing/job-publication';
import { PinRequests } from '../../edge-agent/src/console/pin-requests';
import { AGENT, startSystem } from '../support/e2e-system';

// Cancelling a job the agent already holds: the cloud sends a signed cancel message,
// the agent answers CANCELED when the job has not touched the card — queued behind
// another job, or waiting at the operator console for its PINs — and the cloud
// records CANCELED from that answer. A job on the card is not stopped half-way: its
// real result stands.
describe.each(['mosquitto', 'aedes'] as const)('cancel on the agent side (%s)', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  const pins = new PinRequests({ timeoutMs: 20_000 });
  beforeAll(async () => {
    system = await startSystem({
      broker,
      encodings: ['set-pin'],
      agent: { prompter: (job) => pins.prompter(job), onCancel: (jobId) => pins.cancelJob(jobId) },
    });
  });
  afterAll(async () => {
    pins.close(); // a request left open by a failed assertion must not hold the agent
    await system.close();
  });
  type JobView = { state: string; cancel?: { sentAt?: string }; result?: { error?: { code: string } } };
  const create = async (encodingId: string) =>
    (
      await system.api<{ jobId: string }>('POST', '/v1/jobs', system.cloud.tokens.operatorBerlin, {
        agentId: AGENT,
        encodingId,
        fields: { PIN_LABEL: 'Signature PIN' },
      })
    ).jobId;
  const cancel = (jobId: string) =>
    system.cloud.call('POST', `/v1/jobs/${jobId}/cancel`, { token: system.cloud.tokens.operatorBerlin });

  it('withdraws the PIN request of a cancelled job and reports CANCELED with nothing sent to the card', async () => {
    const before = system.counter.apdus;
    const jobId = await create('set-pin');
    await publishJob(system.publication(), jobId);
    await system.until('the PIN request', () => pins.pending().length === 1);
    const response = await cancel(jobId);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({
      state: expect.stringMatching(/^(SENT|IN_PROGRESS)$/),
      cancelRequested: true,
    });
    await publishCancel(system.publication(), jobId);
    const job = await system.jobIn<JobView>(jobId, 'CANCELED');
    expect(job.result?.error?.code).toBe('CANCELED');
    expect(job.cancel?.sentAt).toBeDefined();
    expect(pins.pending()).toEqual([]);
    expect(system.counter.apdus).toBe(before);
  });

  it('never starts a job cancelled while it waited behind another; the one on the card runs to its end', async () => {
    const before = system.counter.apdus;
    const card = system.holdNextAnswer();
    const running = await create('read-version');
    const waiting = await create('read-version');
    await publishJob(system.publication(), running);
    await system.until('the first job on the card', () => card.commands() === 1);
    await publishJob(system.publication(), waiting);
    await system.jobIn(running, 'IN_PROGRESS');
    // Cancelling the job on the card is only a request: it runs to its end.
    expect((await cancel(running)).status).toBe(202);
    await publishCancel(system.publication(), running);
    expect((await cancel(waiting)).status).toBe(202);
    await publishCancel(system.publication(), waiting);
    await new Promise((r) => setTimeout(r, 200)); // the cancel reaches the agent while the card is busy
    card.release();
    await system.jobIn(waiting, 'CANCELED');
    await system.jobIn(running, 'SUCCEEDED');
    expect(system.counter.apdus).toBe(before + 2); // the first job's two APDUs only
  });
});
