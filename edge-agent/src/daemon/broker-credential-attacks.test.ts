import { generateKeyPairSync } from 'node:crypto';
import { verifyBrokerLogin } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { brokerLogin } from './broker-credential';

/**
 * The agent's side of the broker login (docs/messaging.md, "Broker identity"): what it
 * presents must be what the authorizer checks — its own id as user name and client id, a
 * login for its own topic tree at its own clock — each test failing when that is changed
 * (docs/mutation-testing.md).
 */
const clock = { monotonicMs: () => 0, isoNow: () => '2027-01-15T10:00:00.000Z' };
const now = Date.parse('2027-01-15T10:00:00Z') / 1000;
const expected = { agentId: 'agent-1', audience: 'cardfleet/prod/agents', now };

describe('broker credential attacks', () => {
  it('names the authorizer in the user name’s query, escaped, and still signs for the bare agent id', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const login = brokerLogin(
      { kind: 'token', authorizer: 'cardfleet agents&x=1' },
      { agentId: 'agent-1', privateKey, audience: expected.audience, clock },
    );
    expect(login.username).toBe('agent-1?x-amz-customauthorizer-name=cardfleet%20agents%26x%3D1');
    await expect(verifyBrokerLogin(login.password(), publicKey, expected)).resolves.toMatchObject({
      sub: 'agent-1',
      aud: expected.audience,
      iat: now,
    });
  });

  it('signs with a WebCrypto key as with a node key (the agent loads either)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const login = brokerLogin(
      { kind: 'token' },
      { agentId: 'agent-1', privateKey, audience: expected.audience, clock },
    );
    await expect(verifyBrokerLogin(login.password(), publicKey, expected)).resolves.toMatchObject({
      sub: 'agent-1',
    });
  });

  it('presents a given password as it is, under the agent id', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const login = brokerLogin(
      { kind: 'password', password: 'p@ss' },
      { agentId: 'agent-1', privateKey, audience: expected.audience, clock },
    );
    expect(login).toMatchObject({ username: 'agent-1' });
    expect(login.password()).toBe('p@ss');
  });
});
