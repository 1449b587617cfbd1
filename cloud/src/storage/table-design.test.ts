import { createHash } from 'node:crypto';
import { type JobResult, toWireMessages } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud, pushExample } from '../../../test/support/test-cloud';
import { indexKeys, keys } from './table-design';
import { KEY_PATTERNS, uncataloguedItems } from './table-key-patterns';

const JOB_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const SHA = 'ab'.repeat(32);

describe('the key catalogue', () => {
  it('describes every item kind the key builders make, with their index keys', () => {
    const items = [
      { ...keys.encodingLatest('e'), ...indexKeys.encodingsEntry('e') },
      keys.encodingVersion('e', 1),
      { ...keys.agent('a-1'), ...indexKeys.agentsEntry('berlin', 'a-1') },
      keys.agentPresence('a-1'),
      keys.enrolmentCode(SHA),
      keys.agentSeq('a-1'),
      { ...keys.job(JOB_ID), ...indexKeys.jobsOfOfficeEntry('berlin', '2026-12-01T10:00:00.000Z', JOB_ID) },
      keys.openJob(JOB_ID),
      keys.envelope(SHA),
      keys.resultPart(JOB_ID, 1, 0),
      {
        ...keys.resultMeta(JOB_ID, 2),
        ...indexKeys.resultsOfCardEntry('SERIAL 42', '2026-12-01T10:00:00Z', JOB_ID),
      },
      keys.inboxPart('a-1', `${JOB_ID}:1`, SHA, 3),
      { ...keys.auditEntry(3, 7), ...indexKeys.auditOfOfficeEntry('*', '2026-12-01T10:00:00Z', 3, 7) },
      {
        ...keys.auditCardPointer(3, 7),
        ...indexKeys.auditOfCardEntry('SERIAL 42', '2026-12-01T10:00:00Z', 3, 7),
      },
      keys.auditCheckpoint(1),
      keys.auditAlert(3),
      keys.auditAlert('LOG'),
      keys.auditQuarantine(3, 7),
      keys.auditMacKey,
      keys.auditKey(`result:${JOB_ID}:1`),
    ];
    expect(uncataloguedItems(items)).toEqual({ uncatalogued: [], unmatched: [] });
  });

  it('finds raw keys no builder makes, near misses that only an unanchored pattern would take, and foreign index keys', () => {
    const strays = [
      { PK: 'JOB#x', SK: 'JOB' }, // not a job id
      { PK: 'FOO', SK: 'BAR' },
      { PK: `JOB#${JOB_ID}#2`, SK: 'JOB' }, // a valid key with a tail
      { PK: `XJOB#${JOB_ID}`, SK: 'JOB' }, // a valid key with a head
      { PK: `JOB#${JOB_ID}`, SK: 'JOBS' },
      { ...keys.job(JOB_ID), GSI1PK: 'OFFICE#berlin#AUDIT', GSI1SK: `2026#${JOB_ID}` }, // another kind's index
      { ...keys.agent('a-1'), GSI1PK: 'AGENTS' }, // half an index entry
      { ...keys.encodingVersion('e', 1), ...indexKeys.encodingsEntry('e') }, // versions are not listed
    ];
    const { uncatalogued, unmatched } = uncataloguedItems([...strays, keys.auditMacKey]);
    expect(uncatalogued).toEqual(strays);
    expect(unmatched).not.toContain('audit MAC key');
    expect(unmatched).not.toContain('audit alert'); // written only on tampering: covered by its tests
    expect(unmatched).toContain('job');
  });

  it('anchors every pattern at both ends', () => {
    for (const pattern of KEY_PATTERNS) {
      for (const regex of [pattern.pk, pattern.sk, pattern.gsi1?.pk, pattern.gsi1?.sk]) {
        if (regex) expect(regex.source, pattern.item).toMatch(/^\^.*\$$/);
      }
    }
  });

  it('holds every item a whole flow writes — and that flow writes every kind', async () => {
    const published: string[] = [];
    const publisher = {
      publish: async (_topic: string, payload: Uint8Array) =>
        void published.push(Buffer.from(payload).toString()),
      close: async () => undefined,
    };
    const cloud = await memoryCloud({ publication: { publisher, issuer: 'cardfleet-test' } });
    await pushExample(cloud, 'read-version');
    await addEnrolledAgent(cloud, 'agent-berlin-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
    // A used code's item is removed; a pending agent's stays until used or expired.
    await cloud.call('POST', '/v1/agents', {
      token: cloud.tokens.admin,
      body: { id: 'agent-berlin-2', office: 'berlin' },
    });
    await cloud.cloud.presence('agent-berlin-1', {
      status: 'online',
      at: '2026-12-01T10:00:00Z',
      readers: [],
    });
    const created = await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.operatorBerlin,
      body: { agentId: 'agent-berlin-1', encodingId: 'read-version' },
    });
    const { jobId } = (await created.json()) as { jobId: string };
    expect(published).toHaveLength(1); // envelope record and agent seq written
    const result: JobResult = {
      jobId,
      attempt: 1,
      agentId: 'agent-berlin-1',
      status: 'SUCCEEDED',
      finishedAt: '2026-12-01T10:00:01Z',
      card: { reader: 'R', atr: '3B00', cardNames: [], tokenSerial: 'SERIAL-42' },
      applications: [],
    };
    await cloud.cloud.ingest(result, 'signature');
    // A rejection naming the envelope that was sent, and one naming no envelope.
    const envelopeSha256 = createHash('sha256')
      .update(published[0] ?? '')
      .digest('hex');
    await cloud.cloud.ingest({ ...result, status: 'REJECTED', rejection: { reason: 'x', envelopeSha256 } });
    await cloud.cloud.ingest({
      ...result,
      status: 'REJECTED',
      rejection: { reason: 'x', envelopeSha256: SHA },
    });
    // Another job, still open (its marker stays).
    await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.operatorBerlin,
      body: { agentId: 'agent-berlin-1', encodingId: 'read-version' },
    });
    // The first part of a result message that needs several: kept until the rest come.
    const [firstPart] = toWireMessages(`${jobId}:1`, JSON.stringify({ blob: 'x'.repeat(300_000) }));
    expect(await cloud.cloud.receiveResult('agent-berlin-1', firstPart ?? '')).toBeUndefined();

    // A checkpoint covers what the flow wrote (the dispatcher or N appends make one).
    await cloud.cloud.audit.checkpoint();
    expect(uncataloguedItems(cloud.table.allItems())).toEqual({ uncatalogued: [], unmatched: [] });
  });
});
