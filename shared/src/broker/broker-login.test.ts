import { generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { BROKER_LOGIN_TYPE, signBrokerLogin, verifyBrokerLogin } from './broker-login';

const agent = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const now = 1_800_000_000;
const expected = { agentId: 'agent-1', audience: 'cardfleet/agents', now };
const login = (
  input: Partial<{ agentId: string; audience: string; now: number; lifetimeSeconds: number }> = {},
) => signBrokerLogin(agent.privateKey, { agentId: 'agent-1', audience: 'cardfleet/agents', now, ...input });

describe('broker login (the agent’s MQTT password, signed with its enrolled key)', () => {
  it('verifies against the enrolled public key with its claims', async () => {
    const claims = await verifyBrokerLogin(login(), agent.publicKey, expected);
    expect(claims).toMatchObject({ sub: 'agent-1', aud: 'cardfleet/agents', iat: now, exp: now + 3600 });
    expect(claims.jti).not.toEqual((await verifyBrokerLogin(login(), agent.publicKey, expected)).jti);
  });

  it('refuses another key, another agent, another tree, a changed byte', async () => {
    const refused = { code: 'BROKER_LOGIN_REFUSED' };
    await expect(verifyBrokerLogin(login(), other.publicKey, expected)).rejects.toMatchObject(refused);
    await expect(
      verifyBrokerLogin(login({ agentId: 'agent-2' }), agent.publicKey, expected),
    ).rejects.toMatchObject(refused);
    await expect(
      verifyBrokerLogin(login({ audience: 'cardfleet/prod/agents' }), agent.publicKey, expected),
    ).rejects.toMatchObject(refused);
    const token = login();
    const changed = `${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`;
    await expect(verifyBrokerLogin(changed, agent.publicKey, expected)).rejects.toMatchObject(refused);
    await expect(verifyBrokerLogin('not a jws', agent.publicKey, expected)).rejects.toMatchObject(refused);
  });

  it('refuses an expired login, one from the future beyond the skew, and one living longer than an hour', async () => {
    const refused = { code: 'BROKER_LOGIN_REFUSED' };
    await expect(
      verifyBrokerLogin(login({ now: now - 3600 }), agent.publicKey, expected),
    ).rejects.toMatchObject(refused);
    await expect(
      verifyBrokerLogin(login({ now: now + 61 }), agent.publicKey, expected),
    ).rejects.toMatchObject(refused);
    await expect(
      verifyBrokerLogin(login({ now: now + 60 }), agent.publicKey, expected),
    ).resolves.toBeDefined();
    await expect(
      verifyBrokerLogin(login({ lifetimeSeconds: 3601 }), agent.publicKey, expected),
    ).rejects.toMatchObject(refused);
  });

  it('refuses a JWS of another type signed by the same key (a result is no login)', async () => {
    const payload = new TextEncoder().encode(
      JSON.stringify({ sub: 'agent-1', aud: 'cardfleet/agents', iat: now, exp: now + 60, jti: 'abcdefgh12' }),
    );
    const result = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'cardfleet-result+jws' })
      .sign(agent.privateKey);
    await expect(verifyBrokerLogin(result, agent.publicKey, expected)).rejects.toMatchObject({
      code: 'BROKER_LOGIN_REFUSED',
    });
    const typed = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'ES256', typ: BROKER_LOGIN_TYPE })
      .sign(agent.privateKey);
    await expect(verifyBrokerLogin(typed, agent.publicKey, expected)).resolves.toMatchObject({
      sub: 'agent-1',
    });
  });
});
