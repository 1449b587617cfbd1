import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUD_INGEST_USER, signBrokerLogin, topics } from '@cardfleet/shared';
import { exportJWK } from 'jose';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../cloud/src/node/start-local-cloud';

describe('the local cloud (dynalite on disk, keys generated on first start)', () => {
  it('keeps data, keys and issued tokens across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cardfleet-local-'));
    const first = await startLocalCloud({ dataDir, port: 0 });
    const token = await first.issuer.issue({ sub: 'alice', role: 'admin' });
    const added = await fetch(`${first.url}/v1/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'agent-1', office: 'berlin' }),
    });
    expect(added.status).toBe(201);
    await first.close();
    expect(statSync(join(dataDir, 'keys', 'signing.jwk.json')).mode & 0o777).toBe(0o600);

    const second = await startLocalCloud({ dataDir, port: 0 });
    const listed = await fetch(`${second.url}/v1/agents`, { headers: { authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([
      'agent-1',
    ]);
    expect(second.signer.kid).toBe(first.signer.kid);
    await second.close();
  });
});

describe('the local cloud with its embedded broker', () => {
  it('admits an agent it enrolled by the login the agent signs, refuses that login under another client id, and drops the agent once revoked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cardfleet-local-'));
    const local = await startLocalCloud({ dataDir, port: 0, embeddedBroker: {} });
    try {
      const token = await local.issuer.issue({ sub: 'alice', role: 'admin' });
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const added = (await (
        await fetch(`${local.url}/v1/agents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'agent-1', office: 'berlin' }),
        })
      ).json()) as { enrolmentCode: string };
      const { kty, crv, x, y } = await exportJWK(publicKey);
      const enrolled = await fetch(`${local.url}/v1/agents/agent-1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: added.enrolmentCode, publicJwk: { kty, crv, x, y } }),
      });
      expect(enrolled.status).toBe(200);
      const url = local.mqttUrl ?? '';
      const password = signBrokerLogin(privateKey, {
        agentId: 'agent-1',
        audience: topics.root,
        now: Math.floor(Date.now() / 1000),
      });
      const agent = await connectAsync(url, {
        clientId: 'agent-1',
        username: 'agent-1',
        password,
        reconnectPeriod: 0,
      });
      expect(agent.connected).toBe(true);
      await expect(
        connectAsync(url, { clientId: CLOUD_INGEST_USER, username: 'agent-1', password, reconnectPeriod: 0 }),
      ).rejects.toThrow(/Not authorized/i);
      // Revoked: the embedded broker closes the connection at once and refuses the next.
      const closed = new Promise<void>((resolve) => agent.once('close', () => resolve()));
      const revoked = await fetch(`${local.url}/v1/agents/agent-1/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(revoked.status).toBe(200);
      await closed;
      expect(agent.connected).toBe(false);
      await expect(
        connectAsync(url, { clientId: 'agent-1', username: 'agent-1', password, reconnectPeriod: 0 }),
      ).rejects.toThrow(/Not authorized/i);
      await agent.endAsync(true);
    } finally {
      await local.close();
    }
  });
});
