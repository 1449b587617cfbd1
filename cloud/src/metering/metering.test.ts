import { describe, expect, it } from 'vitest';
import { cachingKeyWrapper } from '../crypto/caching-key-wrapper';
import { decryptAtRest, encryptAtRest, localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { iotMessages, meteredKeyWrapper, meteredPublisher, meteredSigner } from './metered-ports';
import { itemBytes, MeteredTable } from './metered-table';
import { UsageMeter } from './usage-meter';

const item = (pk: string, sk: string, bytes: number) => ({ PK: pk, SK: sk, body: 'x'.repeat(bytes) });

describe('the metered table counts DynamoDB request units as on-demand bills them', () => {
  it('charges a write 1 unit per started KB, failed conditions included, and a delete 1', async () => {
    const meter = new UsageMeter();
    const table = new MeteredTable(new MemoryTable(), meter);
    const small = item('A', 'B', 10);
    expect(itemBytes(small)).toBe(2 + 1 + 2 + 1 + 4 + 10);
    await table.putNew(small);
    await table.putNew(small); // condition fails: still billed
    await table.put(item('A', 'C', 1024)); // 1024 + 12 bytes: 2 units
    await table.delete({ PK: 'A', SK: 'B' });
    expect([meter.get('ddb.wru'), meter.get('ddb.writes'), meter.get('ddb.writes:delete A')]).toEqual([
      5, 4, 1,
    ]);
  });

  it('charges a consistent read 1 unit per started 4 KB, at least 1 for a missing item', async () => {
    const meter = new UsageMeter();
    const table = new MeteredTable(new MemoryTable(), meter);
    await table.put(item('A', 'B', 5000));
    meter.reset();
    await table.get({ PK: 'A', SK: 'B' }); // 2 units
    await table.get({ PK: 'A', SK: 'none' }); // 1 unit
    expect([meter.get('ddb.rru'), meter.get('ddb.reads')]).toEqual([3, 2]);
  });

  it('charges a query by the bytes it read, half on the eventually consistent index', async () => {
    const meter = new UsageMeter();
    const table = new MeteredTable(new MemoryTable(), meter);
    for (const sk of ['1', '2', '3']) await table.put({ ...item('P', sk, 3000), GSI1PK: 'G', GSI1SK: sk });
    meter.reset();
    await table.query('P'); // ~9 KB: 3 units
    await table.query('G', { index: 'GSI1' }); // 3 units, halved
    const page = await table.queryPage('P', { limit: 1 }); // one item: 1 unit
    expect(page.items).toHaveLength(1);
    expect(meter.get('ddb.rru')).toBe(3 + 1.5 + 1);
    expect(meter.get('ddb.queries')).toBe(3);
  });
});

describe('the metered crypto and publishing ports', () => {
  it('counts each Sign by the JWS type it signs', async () => {
    const meter = new UsageMeter();
    const signer = meteredSigner(await localSigner('k'), meter);
    await signer.sign(new Uint8Array(1), 'cardfleet-job+jws');
    await signer.sign(new Uint8Array(1), 'cardfleet-job+jws');
    await signer.sign(new Uint8Array(1), 'cardfleet-audit-head+jws');
    expect([meter.get('kms.sign'), meter.get('kms.sign:cardfleet-job+jws')]).toEqual([3, 2]);
  });

  it('meters a publish in 5 KB units of payload and topic', async () => {
    const meter = new UsageMeter();
    const sent: string[] = [];
    const publisher = meteredPublisher(
      { publish: async (topic) => void sent.push(topic), close: async () => undefined },
      meter,
    );
    await publisher.publish('cardfleet/agents/a/jobs', new Uint8Array(5 * 1024));
    await publisher.publish('cardfleet/agents/a/acks', new Uint8Array(40));
    expect(iotMessages('t', 5 * 1024 - 1)).toBe(1);
    expect([meter.get('iot.publishes'), meter.get('iot.messages'), sent.length]).toEqual([2, 3, 2]);
  });
});

describe('the caching key wrapper', () => {
  const AT = { item: { PK: 'JOB#j', SK: 'JOB' }, field: 'secrets' };
  const counted = () => {
    const meter = new UsageMeter();
    return { meter, kms: meteredKeyWrapper(localKeyWrapper(new Uint8Array(32).fill(7)), meter) };
  };

  it('seals many values under one data key and unwraps it once per instance', async () => {
    const { meter, kms } = counted();
    const cache = cachingKeyWrapper(kms, { now: () => 0 });
    const sealed = await Promise.all(
      ['a', 'b', 'c'].map((v) => encryptAtRest(cache, new TextEncoder().encode(v), AT)),
    );
    const opened = await Promise.all(sealed.map((s) => decryptAtRest(cache, s, AT)));
    expect(opened.map((b) => new TextDecoder().decode(b))).toEqual(['a', 'b', 'c']);
    expect([meter.get('kms.encrypt'), meter.get('kms.decrypt')]).toEqual([1, 0]);
    // Another instance (a cold cache) unwraps the shared key once.
    const other = cachingKeyWrapper(kms);
    for (const s of sealed) await decryptAtRest(other, s, AT);
    expect(meter.get('kms.decrypt')).toBe(1);
  });

  it('takes a new sealing key after maxUses values or maxAgeMs', async () => {
    const { meter, kms } = counted();
    let clock = 0;
    const cache = cachingKeyWrapper(kms, { maxUses: 2, maxAgeMs: 1000, now: () => clock });
    const seal = () => encryptAtRest(cache, new Uint8Array([1]), AT);
    await seal();
    await seal();
    await seal(); // third use: new key
    clock = 1000;
    await seal(); // too old: new key
    expect(meter.get('kms.encrypt')).toBe(3);
  });

  it('keeps at most maxEntries unwrapped keys, dropping the least recently used', async () => {
    const { meter, kms } = counted();
    const sealed = [];
    for (let n = 0; n < 3; n++) sealed.push(await encryptAtRest(kms, new Uint8Array([n]), AT));
    const cache = cachingKeyWrapper(kms, { maxEntries: 2 });
    for (const s of sealed) await decryptAtRest(cache, s, AT); // 3 unwraps, the first dropped
    await decryptAtRest(cache, sealed[2] as (typeof sealed)[number], AT); // cached
    await decryptAtRest(cache, sealed[0] as (typeof sealed)[number], AT); // dropped: unwrapped again
    expect(meter.get('kms.decrypt')).toBe(4);
  });
});

describe('pricing a job', () => {
  it('adds each service’s units times its US East price, per 1,000 jobs', async () => {
    const { costPerThousandJobs } = await import('./aws-prices');
    const cost = costPerThousandJobs({
      readRequestUnits: 8,
      writeRequestUnits: 16,
      kmsSymmetric: 0,
      kmsSign: 1,
      iotMessages: 10,
      rulesTriggered: 3,
      lambdaInvocations: 4,
      lambdaGbSeconds: 0.2,
    });
    expect(cost.dynamodb).toBeCloseTo(8 * 0.000125 + 16 * 0.000625, 9);
    expect(cost.kms).toBeCloseTo(0.015, 9);
    expect(cost.iotCore).toBeCloseTo(0.01 + 3 * 0.0003, 9);
    expect(cost.lambda).toBeCloseTo(4 * 0.0002 + 0.2 * 0.0166667, 6);
    expect(cost.iotJobs).toBe(3);
    expect(cost.total).toBeCloseTo(cost.dynamodb + cost.kms + cost.iotCore + cost.lambda, 9);
  });
});
