import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBrokerLogin } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { brokerCredentialOf, brokerLogin } from './broker-credential';

const clock = (iso: string) => ({ monotonicMs: () => 0, isoNow: () => iso });

describe('the agent’s broker login (token or password file, by configuration)', () => {
  it('signs a fresh login with the enrolled key for every connection', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const login = brokerLogin(
      { kind: 'token' },
      { agentId: 'agent-1', privateKey, audience: 'cardfleet/agents', clock: clock('2027-01-15T10:00:00Z') },
    );
    expect(login.username).toBe('agent-1');
    const [first, second] = [login.password(), login.password()];
    expect(first).not.toBe(second);
    const now = Date.parse('2027-01-15T10:00:00Z') / 1000;
    for (const password of [first, second])
      await expect(
        verifyBrokerLogin(password, publicKey, { agentId: 'agent-1', audience: 'cardfleet/agents', now }),
      ).resolves.toMatchObject({ sub: 'agent-1', iat: now });
  });

  it('reads the password file at every connection (a rotated password is taken)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardfleet-credential-'));
    writeFileSync(join(dir, 'mqtt-password'), 'first\n');
    const credential = brokerCredentialOf({ mqttPasswordFile: 'mqtt-password' }, dir);
    expect(credential).toEqual({ kind: 'password-file', file: join(dir, 'mqtt-password') });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const login = brokerLogin(credential ?? { kind: 'token' }, {
      agentId: 'agent-1',
      privateKey,
      audience: 'cardfleet/agents',
      clock: clock('2027-01-15T10:00:00Z'),
    });
    expect(login.password()).toBe('first');
    writeFileSync(join(dir, 'mqtt-password'), 'second\n');
    expect(login.password()).toBe('second');
  });

  it('takes the credential from mqttCredential before mqttPasswordFile, and none for an open broker', () => {
    expect(
      brokerCredentialOf({ mqttCredential: { kind: 'token' }, mqttPasswordFile: 'x' }, '/etc/cardfleet'),
    ).toEqual({
      kind: 'token',
    });
    expect(
      brokerCredentialOf({ mqttCredential: { kind: 'password-file', file: 'p' } }, '/etc/cardfleet'),
    ).toEqual({
      kind: 'password-file',
      file: '/etc/cardfleet/p',
    });
    expect(brokerCredentialOf({}, '/etc/cardfleet')).toBeUndefined();
  });
});
