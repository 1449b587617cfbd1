import { type Presence, parsePresenceMessage, topics } from '@cardfleet/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { agentVersion } from '../../edge-agent/src/daemon/agent-version';
import { AGENT, startSystem } from '../support/e2e-system';

// The network between the agent and its broker goes away (a TCP proxy cuts every
// connection and refuses new ones) and comes back. The broker publishes the agent's last
// will (offline), the cloud shows it offline; once the network is back the agent
// reconnects and announces itself online again — readers, version, start time — and the
// cloud shows that, and a job runs (docs/messaging.md, "Sessions"). Through a Mosquitto
// of the test's own (password + ACL files) and through the embedded Aedes.
type AgentView = { id: string; presence?: Presence; lastSeen?: string };

describe.each(['own-mosquitto', 'aedes'] as const)('the agent cut off from its broker (%s)', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({ broker, proxy: true });
  });
  afterAll(() => system.close());

  it('goes offline by its last will, announces itself online again when back, and runs a job', async () => {
    const { api, cloud, until, traffic, proxy } = system;
    if (!proxy) throw new Error('the system was started without its proxy');
    const presences = () =>
      traffic
        .filter((message) => message.topic === topics.presence(AGENT))
        .map((message) => parsePresenceMessage(message.payload.toString()));
    const shown = async () =>
      (await api<{ items: AgentView[] }>('GET', '/v1/agents', cloud.tokens.operatorBerlin)).items.find(
        (agent) => agent.id === AGENT,
      );
    await until(
      'the cloud to show the agent online',
      async () => (await shown())?.presence?.status === 'online',
    );
    const first = (await shown())?.presence;
    expect(first).toMatchObject({ agentVersion: agentVersion(), startedAt: expect.any(String) });

    proxy.refuse();
    proxy.cut();
    await until('the broker to publish the last will', () => presences().at(-1)?.status === 'offline');
    await until(
      'the cloud to show the agent offline',
      async () => (await shown())?.presence?.status === 'offline',
    );
    const heardBefore = presences().length;

    proxy.accept();
    await until('the agent to announce itself again', () =>
      presences()
        .slice(heardBefore)
        .some((presence) => presence.status === 'online'),
    );
    const online = {
      status: 'online',
      agentVersion: agentVersion(),
      // The same daemon: it reconnected, it did not restart.
      startedAt: first?.startedAt,
      readers: expect.arrayContaining([
        expect.objectContaining({ name: system.readers.reader, cardPresent: true }),
      ]),
    };
    expect(presences().at(-1)).toMatchObject(online);

    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    await publishJob(system.publication(), jobId);
    await system.jobIn(jobId, 'SUCCEEDED');
    expect(await shown()).toMatchObject({ presence: online, lastSeen: expect.any(String) });
    expect(proxy.connections()).toBeGreaterThanOrEqual(2);
  });
});
