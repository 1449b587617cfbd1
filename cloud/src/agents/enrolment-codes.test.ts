import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';
import { AuditLog } from '../audit/audit-log';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { keys } from '../storage/table-design';
import { AgentStore } from './agent-store';

const publicJwk = async () => {
  const { kty, crv, x, y } = await exportJWK(
    (await generateKeyPair('ES256', { extractable: true })).publicKey,
  );
  return { kty, crv, x, y };
};
const sha256 = async (code: string) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code))).toString('hex');

async function storeAt(start: string) {
  const clock = { now: start };
  const table = new MemoryTable();
  const store = new AgentStore(
    table,
    new AuditLog(table, await localSigner('k1'), localKeyWrapper(new Uint8Array(32))),
    () => clock.now,
  );
  return { clock, table, store };
}

describe('enrolment codes', () => {
  it('expire after 24 hours by default, and the expired code item is removed', async () => {
    const { clock, table, store } = await storeAt('2026-12-06T00:00:00.000Z');
    const { enrolmentCode, enrolmentCodeExpiresAt } = await store.add('a1', 'berlin', 'alice');
    expect(enrolmentCodeExpiresAt).toBe('2026-12-07T00:00:00.000Z');
    const codeKey = keys.enrolmentCode(await sha256(enrolmentCode));
    expect((await table.get(codeKey))?.expiresAt).toBe(Date.parse('2026-12-07T00:00:00Z') / 1000);
    clock.now = '2026-12-07T00:00:00.000Z';
    await expect(store.agentForCode(enrolmentCode)).rejects.toMatchObject({ code: 'ENROLMENT_REFUSED' });
    expect(await table.get(codeKey)).toBeUndefined();
    await expect(store.enrol('a1', enrolmentCode, await publicJwk())).rejects.toMatchObject({
      code: 'ENROLMENT_REFUSED',
    });
  });

  it('take a validity set per code, and their item goes once used', async () => {
    const { clock, table, store } = await storeAt('2026-12-06T00:00:00.000Z');
    const { enrolmentCode } = await store.add('a1', 'berlin', 'alice', 3600);
    clock.now = '2026-12-06T00:59:59.000Z';
    expect(await store.agentForCode(enrolmentCode)).toBe('a1');
    await store.enrol('a1', enrolmentCode, await publicJwk());
    expect(await table.get(keys.enrolmentCode(await sha256(enrolmentCode)))).toBeUndefined();

    const late = await store.add('a2', 'berlin', 'alice', 3600);
    clock.now = '2026-12-06T02:00:00.000Z';
    await expect(store.enrol('a2', late.enrolmentCode, await publicJwk())).rejects.toMatchObject({
      code: 'ENROLMENT_REFUSED',
    });
  });

  it('answer every refused enrolment the same way, so probes cannot tell agents or states apart', async () => {
    const cloud = await memoryCloud();
    const add = async (id: string) =>
      (
        (await (
          await cloud.call('POST', '/v1/agents', {
            token: cloud.tokens.admin,
            body: { id, office: 'berlin' },
          })
        ).json()) as { enrolmentCode: string }
      ).enrolmentCode;
    const pending = await add('pending-1');
    const enrolled = await add('enrolled-1');
    await cloud.call('POST', '/v1/agents/enrolled-1/enrol', {
      body: { code: enrolled, publicJwk: await publicJwk() },
    });
    const revoked = await add('revoked-1');
    await cloud.call('POST', '/v1/agents/revoked-1/revoke', { token: cloud.tokens.admin });
    const jwk = await publicJwk();
    const probes = [
      ['/v1/agents/nobody/enrol', pending],
      ['/v1/agents/pending-1/enrol', '0'.repeat(32)],
      ['/v1/agents/enrolled-1/enrol', enrolled],
      ['/v1/agents/enrolled-1/enrol', '0'.repeat(32)],
      ['/v1/agents/revoked-1/enrol', revoked],
      ['/v1/enrol', '0'.repeat(32)],
      ['/v1/enrol', enrolled],
    ] as const;
    const answers = await Promise.all(
      probes.map(async ([path, code]) => {
        const response = await cloud.call('POST', path, { body: { code, publicJwk: jwk } });
        return `${response.status} ${await response.text()}`;
      }),
    );
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^401 .*ENROLMENT_REFUSED/);
  });
});
