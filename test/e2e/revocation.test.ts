import { topics } from '@cardfleet/shared';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveAgentMessage } from '../../cloud/src/publishing/agent-messages';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { AGENT, startSystem } from '../support/e2e-system';

// Revocation end to end (docs/security.md, "Revocation"). The agent holds an open job —
// it ran it and signed the result, which waits at the broker because the cloud's
// ingestion is away — when an admin revokes it. The job ends CANCELED with reason
// AGENT_REVOKED; the broker drops the agent and refuses it at its next connection
// (Mosquitto: its user leaves the password file, test/support/mosquitto.ts `revoke`;
// Aedes: the embedded broker's authorizer); the result it signed, delivered now and
// replayed later, is refused and audited as rejected — once. Through a Mosquitto of the
// test's own (password + ACL files) and through the embedded Aedes.
type AuditItem = { action: string; agentId?: string; details?: { jobId?: string; reason?: string } };

describe.each(['own-mosquitto', 'aedes'] as const)('revoking an agent (%s)', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({ broker });
  });
  afterAll(() => system.close());

  it('ends its open job with AGENT_REVOKED, refuses what it signed, and refuses its next connection', async () => {
    const { api, cloud, until, traffic, outbox } = system;
    const resultMessages = () => traffic.filter((message) => message.topic === topics.results(AGENT));
    const audit = async () =>
      (
        await api<{ items: AuditItem[] }>(
          'GET',
          `/v1/audit?agentId=${AGENT}&limit=1000`,
          cloud.tokens.auditor,
        )
      ).items;
    const job = (jobId: string) =>
      api<{ state: string; reason?: string }>('GET', `/v1/jobs/${jobId}`, cloud.tokens.auditor);

    // The cloud's ingestion is away: the agent's signed result waits in its broker session.
    await system.stopIngestion();
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    await publishJob(system.publication(), jobId);
    await until('the agent to sign and publish its result', () => resultMessages().length > 0);
    expect((await job(jobId)).state).toBe('SENT');

    const revoked = await api<{ state: string; endedJobs: string[] }>(
      'POST',
      `/v1/agents/${AGENT}/revoke`,
      cloud.tokens.admin,
    );
    expect(revoked).toMatchObject({ state: 'REVOKED', endedJobs: [jobId] });
    expect(await job(jobId)).toMatchObject({ state: 'CANCELED', reason: 'AGENT_REVOKED' });
    // The broker dropped the connected agent (Mosquitto publishes no last will then).
    await until('the broker to drop the agent', () => !system.daemon().connected);
    // A fresh connection with the agent's credentials is refused.
    await expect(
      connectAsync(system.mqttUrl, {
        clientId: AGENT,
        ...system.agentLogin(),
        reconnectPeriod: 0,
        connectTimeout: 5000,
      }),
    ).rejects.toThrow();

    // The result it signed reaches the cloud now, and once more as a replay (a broker
    // delivering it again; no client but the agent may publish on its results topic).
    await system.startIngestion();
    const signed = resultMessages()[0]?.payload;
    if (!signed) throw new Error('no result was published');
    await expect(receiveAgentMessage(cloud.cloud, AGENT, 'results', signed.toString())).rejects.toMatchObject(
      {
        code: 'AGENT_REVOKED',
      },
    );
    await until('the refusal to be audited', async () =>
      (await audit()).some((entry) => entry.action === 'result.rejected'),
    );
    // Time for the replay to be handled too (the lane is per agent, in order).
    await new Promise((r) => setTimeout(r, 500));
    const entries = await audit();
    expect(entries.filter((entry) => entry.action === 'result.rejected')).toEqual([
      expect.objectContaining({
        agentId: AGENT,
        details: expect.objectContaining({ jobId, reason: 'AGENT_REVOKED' }),
      }),
    ]);
    expect(entries.filter((entry) => entry.action === 'job.result')).toEqual([]);
    expect(entries.filter((entry) => entry.action === 'job.canceled')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ jobId, reason: 'AGENT_REVOKED' }) }),
    ]);
    expect(await job(jobId)).toMatchObject({ state: 'CANCELED', reason: 'AGENT_REVOKED' });
    // Never acknowledged: the agent's outbox still holds it.
    expect(outbox.pending()).toHaveLength(1);
  });
});
