import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
