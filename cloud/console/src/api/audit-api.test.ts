import { beforeEach, describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../../test/support/test-cloud';
import { memoryWitness } from '../../../src/audit/checkpoint-witness';
import { verifyCardHistory, verifyCheckpoint } from '../audit/proof-check';
import {
  type AuditApi,
  AuditApiError,
  auditEntry,
  cardProofs,
  exportAudit,
  exportFileName,
  latestCheckpoint,
  publishedKeys,
  saveBlob,
  searchAudit,
  searchAuditAll,
} from './audit-api';

/**
 * The console's audit calls against the cloud's app in-process: the auditor finds a card by
 * serial, verifies its history against a checkpoint pinned before the proofs were asked
 * for, and exports it — the token only ever in the Authorization header.
 */
let cloud: Awaited<ReturnType<typeof memoryCloud>>;
let urls: string[];
const api = (token: string): AuditApi => ({
  base: 'http://cardfleet.test',
  token,
  fetch: (input, init) => {
    urls.push(input);
    return cloud.fetch(input, init);
  },
});
const add = (actor: string, cardSerial: string, office = 'berlin') =>
  cloud.cloud.audit.append({
    at: '2026-12-06T10:00:00.000Z',
    actor,
    action: 'job.result',
    office,
    cardSerial,
  });

beforeEach(async () => {
  urls = [];
  cloud = await memoryCloud({
    audit: { shards: 2, checkpointEvery: 1000, witness: memoryWitness(), log: () => undefined },
  });
  await add('a', 'SERIAL-7');
  await add('b', 'OTHER', 'paris');
  await add('c', 'SERIAL-7');
  await cloud.cloud.audit.checkpoint();
});

describe('the console audit calls', () => {
  it('find a card by serial, verify its history against the pinned checkpoint, and export it', async () => {
    const auditor = api(cloud.tokens.auditor);
    const found = await searchAuditAll(auditor, { cardSerial: 'SERIAL-7' });
    expect(found.map((e) => e.actor).sort()).toEqual(['a', 'c']);
    const jwks = await publishedKeys(auditor);
    const pinned = await latestCheckpoint(auditor);
    expect(await verifyCheckpoint(jwks, pinned.checkpoint)).toMatchObject({ ok: true, claims: { index: 1 } });
    // A newer checkpoint lands between the two requests: the proofs stay against the pinned one.
    await add('d', 'SERIAL-7');
    await cloud.cloud.audit.checkpoint();
    const proofs = await cardProofs(auditor, 'SERIAL-7', pinned.index);
    expect(proofs.checkpoint).toBe(pinned.checkpoint);
    const check = await verifyCardHistory({
      jwks,
      proofs,
      shown: await searchAuditAll(auditor, { cardSerial: 'SERIAL-7' }),
    });
    expect(check.entries.map((e) => e.status).sort()).toEqual(['pending', 'verified', 'verified']);

    const csv = await (await exportAudit(auditor, { cardSerial: 'SERIAL-7' }, 'csv')).text();
    expect(csv.trim().split('\n')).toHaveLength(4); // header and three entries
    const json = JSON.parse(await (await exportAudit(auditor, { cardSerial: 'SERIAL-7' }, 'json')).text());
    expect(json.items).toHaveLength(3);
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url).not.toContain(cloud.tokens.auditor);
  });

  it('read one entry by its position, within the office of an operator', async () => {
    const [entry] = (await searchAudit(api(cloud.tokens.auditor), { cardSerial: 'OTHER' })).items;
    if (!entry) throw new Error('the paris entry is listed');
    expect(await auditEntry(api(cloud.tokens.auditor), entry.shard, entry.seq)).toMatchObject({ actor: 'b' });
    await expect(auditEntry(api(cloud.tokens.operatorBerlin), entry.shard, entry.seq)).rejects.toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await auditEntry(api(cloud.tokens.operatorParis), entry.shard, entry.seq)).toMatchObject({
      actor: 'b',
    });
    await expect(auditEntry(api(cloud.tokens.auditor), 0, 999)).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('refuse proofs against a checkpoint that does not exist, and a caller without a valid token', async () => {
    await expect(cardProofs(api(cloud.tokens.auditor), 'SERIAL-7', 5)).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    const refused = await latestCheckpoint(api('not-a-token')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuditApiError);
    expect(refused).toMatchObject({ status: 401 });
  });

  it('save an export from a Blob through a link clicked once, its object URL revoked afterwards', () => {
    const events: string[] = [];
    const link = {
      href: '',
      download: '',
      click: () => events.push('click'),
      remove: () => events.push('remove'),
    };
    let later: (() => void) | undefined;
    saveBlob(new Blob(['x']), 'audit.csv', {
      document: { createElement: () => link, body: { append: () => events.push('append') } },
      URL: { createObjectURL: () => 'blob:1', revokeObjectURL: (url) => events.push(`revoke ${url}`) },
      setTimeout: (run) => {
        later = run;
      },
    });
    expect(link).toMatchObject({ href: 'blob:1', download: 'audit.csv' });
    expect(events).toEqual(['append', 'click', 'remove']);
    later?.();
    expect(events.at(-1)).toBe('revoke blob:1');
    expect(exportFileName({ cardSerial: 'SERIAL/7 ' }, 'csv', new Date('2026-12-06T10:00:00Z'))).toBe(
      'cardfleet-audit-SERIAL_7_-2026-12-06T10-00-00-000Z.csv',
    );
  });
});
