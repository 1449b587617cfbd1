import { buildProgressMessage, type JobResult, signBrokerLogin, topics } from '@cardfleet/shared';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  followJob,
  type LiveCloud,
  localCloudForLive,
  progressEvent,
  quantileOf,
  timeStateChanges,
} from '../support/live-latency';

/**
 * The live job events through the local stack without a card: dynalite, the embedded
 * broker and the ingest subscriber in one process with the API (docs/console-live-progress.md).
 * The test plays the agent over MQTT and the console with its event-stream client.
 */
describe('live job events on the local cloud', () => {
  let live: LiveCloud;
  beforeAll(async () => {
    live = await localCloudForLive({ embeddedBroker: true });
  });
  afterAll(async () => {
    await live?.local.close();
  });

  it("pushes the agent's progress as it arrives over the broker, then the result, and ends", async () => {
    const jobId = await live.newJob();
    const follower = followJob(live, jobId);
    await follower.next((job) => job.state === 'SENT');
    const agent = await connectAsync(live.local.mqttUrl ?? '', {
      clientId: 'agent-1',
      username: 'agent-1',
      password: signBrokerLogin(live.agentKey, {
        agentId: 'agent-1',
        audience: topics.root,
        now: Math.floor(Date.now() / 1000),
      }),
      reconnectPeriod: 0,
    });
    try {
      const publish = (seq: number, phase?: 'waiting-for-pin') =>
        agent.publishAsync(
          topics.progress('agent-1'),
          buildProgressMessage(progressEvent(jobId, seq, phase ? { phase } : {})),
          { qos: 0 },
        );
      await publish(1);
      await follower.next((job) => job.progress?.seq === 1);
      await publish(2, 'waiting-for-pin');
      await follower.next((job) => job.progress?.phase === 'waiting-for-pin');
    } finally {
      await agent.endAsync(true);
    }
    const result: JobResult = {
      jobId,
      attempt: 1,
      agentId: 'agent-1',
      status: 'FAILED',
      finishedAt: new Date().toISOString(),
      applications: [
        {
          name: 'Application_1',
          kind: 'apdu',
          status: 'FAILED',
          outputs: {},
          apdus: [],
          failure: { code: 'CARD_STATUS', message: 'the card said no', line: 2, sw: '63C2' },
        },
      ],
    };
    await live.local.cloud.ingest(result);
    await follower.done; // the stream ended after FAILED and the reconnect was answered 204
    const last = follower.seen.at(-1)?.job;
    expect(last?.state).toBe('FAILED');
    expect(last?.result?.status).toBe('FAILED');
    expect(follower.seen.map((s) => s.job.state)).toEqual(['SENT', 'IN_PROGRESS', 'IN_PROGRESS', 'FAILED']);
    const ids = follower.seen.map((s) => Number(s.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('shows a state change written through the ingest path to the console client (delay printed)', async () => {
    const samples = await timeStateChanges(live, 20);
    expect(samples).toHaveLength(20);
    const p = (q: number) => quantileOf(samples, q).toFixed(1);
    console.log(
      `job state change (store write) → console event received: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms (n=20)`,
    );
  });
});
