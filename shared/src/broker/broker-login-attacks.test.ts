import { generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { BROKER_LOGIN_TYPE, signBrokerLogin, verifyBrokerLogin } from './broker-login';

/**
 * Attacks on the agent's broker login (docs/messaging.md, "Broker identity"), each failing
 * when the check that stops it is removed (docs/mutation-testing.md).
 */
const agent = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const now = 1_800_000_000;
const expected = { agentId: 'agent-1', audience: 'cardfleet/agents', now };
const refused = { code: 'BROKER_LOGIN_REFUSED' };
const typedLogin = (payload: string | Record<string, unknown>, typ: string = BROKER_LOGIN_TYPE) =>
  new CompactSign(new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ })
    .sign(agent.privateKey);
const claims = { sub: 'agent-1', aud: 'cardfleet/agents', iat: now, exp: now + 60, jti: 'abcdefgh12' };

describe('broker login attacks', () => {
  it('refuses a login longer than 2,048 characters before verifying anything', async () => {
    const long = await typedLogin({ ...claims, jti: 'j'.repeat(1600) });
    expect(long.length).toBeGreaterThan(2048);
    await expect(verifyBrokerLogin(long, agent.publicKey, expected)).rejects.toMatchObject(refused);
  });

  it('refuses an oversize login even when it is well signed with valid claims (a padded header)', async () => {
    const padded = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', typ: BROKER_LOGIN_TYPE, x: 'p'.repeat(2000) })
      .sign(agent.privateKey);
    await expect(verifyBrokerLogin(padded, agent.publicKey, expected)).rejects.toThrow(/too long/);
  });

  it('says why it refused: a bad signature, another type (for the authorizer’s log)', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const login = await typedLogin(claims);
    await expect(verifyBrokerLogin(login, other.publicKey, expected)).rejects.toThrow(
      /bad signature or format/,
    );
    await expect(
      verifyBrokerLogin(await typedLogin(claims, 'cardfleet-result+jws'), agent.publicKey, expected),
    ).rejects.toThrow(/not a broker login/);
  });

  it('lets a login of exactly 2,048 characters through to its claims (the limit is that size)', async () => {
    let login = '';
    for (let kid = 1; kid < 5 && login.length !== 2048; kid++)
      for (let pad = 1250; pad < 1350 && login.length !== 2048; pad++)
        login = await new CompactSign(
          new TextEncoder().encode(JSON.stringify({ ...claims, pad: 'p'.repeat(pad) })),
        )
          .setProtectedHeader({ alg: 'ES256', typ: BROKER_LOGIN_TYPE, kid: 'k'.repeat(kid) })
          .sign(agent.privateKey);
    expect(login).toHaveLength(2048);
    // Past the size check, the strict claims refuse the padding.
    await expect(verifyBrokerLogin(login, agent.publicKey, expected)).rejects.toThrow(/malformed claims/);
  });

  it('refuses signed claims that are not JSON, or not the login claims (extra, missing, wrong types)', async () => {
    await expect(verifyBrokerLogin(await typedLogin('not json'), agent.publicKey, expected)).rejects.toThrow(
      /not JSON/,
    );
    for (const bad of [
      { ...claims, admin: true },
      { ...claims, jti: 'short' },
      { ...claims, iat: now + 0.5 },
      { sub: 'agent-1', aud: 'cardfleet/agents', iat: now, exp: now + 60 },
    ])
      await expect(verifyBrokerLogin(await typedLogin(bad), agent.publicKey, expected)).rejects.toThrow(
        /malformed claims/,
      );
  });

  it('refuses a login that expires when or before it is issued', async () => {
    for (const exp of [now, now - 1])
      await expect(
        verifyBrokerLogin(await typedLogin({ ...claims, exp }), agent.publicKey, expected),
      ).rejects.toThrow(/lifetime/);
  });

  it('takes a login living exactly the longest lifetime, and refuses one a second longer', async () => {
    const login = signBrokerLogin(agent.privateKey, { ...expected, lifetimeSeconds: 3600 });
    await expect(verifyBrokerLogin(login, agent.publicKey, expected)).resolves.toMatchObject({
      exp: now + 3600,
    });
    const longer = await typedLogin({ ...claims, exp: now + 3601 });
    await expect(verifyBrokerLogin(longer, agent.publicKey, expected)).rejects.toThrow(/lifetime/);
  });

  it('refuses a login at the second it expires, and takes it the second before', async () => {
    const login = await typedLogin(claims);
    await expect(verifyBrokerLogin(login, agent.publicKey, { ...expected, now: now + 60 })).rejects.toThrow(
      /expired/,
    );
    await expect(
      verifyBrokerLogin(login, agent.publicKey, { ...expected, now: now + 59 }),
    ).resolves.toMatchObject({ jti: 'abcdefgh12' });
  });

  it('refuses an unsigned login (alg none)', async () => {
    const [, payload] = (await typedLogin(claims)).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: BROKER_LOGIN_TYPE })).toString('base64url')}.${payload}.`;
    await expect(verifyBrokerLogin(none, agent.publicKey, expected)).rejects.toMatchObject(refused);
  });

  it('names the login type in the header and signs with the agent id as kid', () => {
    const login = signBrokerLogin(agent.privateKey, expected);
    const header = JSON.parse(Buffer.from(login.split('.')[0] ?? '', 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'ES256', kid: 'agent-1', typ: BROKER_LOGIN_TYPE });
  });
});
