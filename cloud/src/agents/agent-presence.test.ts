import { generateKeyPairSync } from 'node:crypto';
import { buildPresenceMessage, WIRE_VERSION } from '@cardfleet/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud } from '../../../test/support/test-cloud';
import { receiveAgentMessage } from '../publishing/agent-messages';

// What an agent's presence tells operators through GET /v1/agents (docs/messaging.md,
// "Agent → cloud"): online or offline, its readers, its version and when it started.
const AGENT = 'agent-berlin-1';
const readers = [{ name: 'Virtual PCD 00 00', cardPresent: true, atr: '3B00', cardNames: ['CardOS 5.3'] }];

describe("an agent's presence", () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  const receive = (message: string) => receiveAgentMessage(cloud.cloud, AGENT, 'presence', message);
  const listed = async () => {
    const answer = await cloud.call('GET', '/v1/agents', { token: cloud.tokens.operatorBerlin });
    const { items } = (await answer.json()) as {
      items: { id: string; presence?: unknown; lastSeen?: string }[];
    };
    return items.find((a) => a.id === AGENT);
  };

  beforeEach(async () => {
    cloud = await memoryCloud();
    await addEnrolledAgent(
      cloud,
      AGENT,
      'berlin',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    );
  });

  it('shows the version and start time the agent announced, with its readers', async () => {
    await receive(
      buildPresenceMessage({
        status: 'online',
        at: '2026-12-06T03:00:01.000Z',
        agentVersion: '0.1.0',
        startedAt: '2026-12-06T03:00:00.000Z',
        readers,
      }),
    );
    expect(await listed()).toMatchObject({
      presence: { status: 'online', agentVersion: '0.1.0', startedAt: '2026-12-06T03:00:00.000Z', readers },
      lastSeen: expect.any(String),
    });
  });

  it('keeps the version and start time last announced when the last will says offline', async () => {
    await receive(
      buildPresenceMessage({
        status: 'online',
        at: '2026-12-06T03:00:01.000Z',
        agentVersion: '0.1.0',
        startedAt: '2026-12-06T03:00:00.000Z',
        readers,
      }),
    );
    // The will is written when the agent connects: no readers, no version.
    await receive(buildPresenceMessage({ status: 'offline', at: '2026-12-06T03:00:00.000Z', readers: [] }));
    expect((await listed())?.presence).toEqual({
      v: WIRE_VERSION,
      status: 'offline',
      at: '2026-12-06T03:00:00.000Z',
      agentVersion: '0.1.0',
      startedAt: '2026-12-06T03:00:00.000Z',
      readers: [],
    });
  });

  it('takes the presence of an older agent, which names neither', async () => {
    await receive(JSON.stringify({ status: 'online', at: '2026-12-06T03:00:01.000Z', readers }));
    const presence = (await listed())?.presence;
    expect(presence).toMatchObject({ status: 'online', readers });
    expect(presence).not.toHaveProperty('agentVersion');
    expect(presence).not.toHaveProperty('startedAt');
  });
});
