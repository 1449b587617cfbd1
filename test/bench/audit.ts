import { type AuditContent, sealEntry } from '../../cloud/src/audit/audit-entry';
import { AuditLog } from '../../cloud/src/audit/audit-log';
import { cardPointerItem, entryItem } from '../../cloud/src/audit/audit-shards';
import { memoryWitness } from '../../cloud/src/audit/checkpoint-witness';
import { localKeyWrapper } from '../../cloud/src/crypto/envelope-encryption';
import { localSigner } from '../../cloud/src/crypto/signer';
import { MemoryTable } from '../../cloud/src/storage/memory-table';
import type { Table } from '../../cloud/src/storage/table-port';
import { startDynalite } from '../support/dynalite';

/**
 * The audit log (docs/cloud.md, "Auditor"): append throughput at 1/16/64 concurrent
 * writers on dynalite next to dynalite's raw conditional-put rate at the same concurrency;
 * the checkpoint of a batch on dynalite (the window before an entry is covered); and at
 * 10^5 entries (in memory: writing 10^5 items to dynalite alone takes minutes) the time of
 * a first and of an incremental checkpoint, proof sizes, and full vs incremental verify.
 * Prints figures; asserts nothing.
 */
const PER_LEVEL = Number(process.env.BENCH_AUDIT_APPENDS ?? 640);
const BIG = Number(process.env.BENCH_AUDIT_ENTRIES ?? 100_000);
const SHARDS = 16;
const EVERY = 16;

const content = (i: number): AuditContent => ({
  at: new Date(Date.UTC(2026, 11, 6, 10, 0, 0, i)).toISOString(),
  actor: 'bench',
  action: 'job.result',
  office: 'berlin',
  agentId: 'bench-agent',
  details: { jobId: `job-${i}`, cardSerial: `CARD-${i % 1000}` },
});

async function logOver(table: Table, checkpointEvery: number) {
  const signer = await localSigner('bench');
  return new AuditLog(table, signer, localKeyWrapper(new Uint8Array(32).fill(9)), {
    shards: SHARDS,
    checkpointEvery,
    witness: memoryWitness(),
    log: () => undefined,
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const ms = (n: number) => Number(n.toFixed(1));

async function concurrently(n: number, writers: number, op: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await op(i).catch(() => failed++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Number((n / seconds).toFixed(0)),
    p50: ms(percentile(latencies, 0.5)),
    p99: ms(percentile(latencies, 0.99)),
    failed,
  };
}

export async function auditBenchmark(): Promise<Record<string, unknown>> {
  const appends: Record<string, unknown>[] = [];
  for (const writers of [1, 16, 64]) {
    const db = await startDynalite();
    try {
      const raw = await concurrently(PER_LEVEL, writers, (i) =>
        db.table.putNew({ PK: `RAW#${i % SHARDS}`, SK: `S#${i}`, n: i }),
      );
      // No checkpoint during the run: appends alone.
      const log = await logOver(db.table, 1_000_000_000);
      const audit = await concurrently(PER_LEVEL, writers, (i) => log.append(content(i)));
      appends.push({
        writers,
        'raw put/s': raw.perSecond,
        'append/s': audit.perSecond,
        'p50 ms': audit.p50,
        'p99 ms': audit.p99,
        failed: audit.failed,
        ratio: Number((audit.perSecond / raw.perSecond).toFixed(2)),
      });
    } finally {
      await db.close();
    }
  }
  console.log(`\naudit appends on dynalite (${PER_LEVEL} per level, ${SHARDS} shards)`);
  console.table(appends);

  // The window: a checkpoint follows every EVERY-th entry of a shard (≈ EVERY × SHARDS
  // appends) and every dispatcher tick; how long one batch takes to checkpoint on dynalite.
  const db = await startDynalite();
  let batch: Record<string, unknown>;
  try {
    const log = await logOver(db.table, 1_000_000_000);
    for (let i = 0; i < 2 * EVERY * SHARDS; i++) await log.append(content(i));
    let t = performance.now();
    await log.checkpoint();
    const first = performance.now() - t;
    for (let i = 0; i < EVERY * SHARDS; i++) await log.append(content(i));
    t = performance.now();
    await log.checkpoint();
    batch = {
      'entries per batch': EVERY * SHARDS,
      'checkpoint ms (dynalite)': ms(performance.now() - t),
      'first checkpoint of 512 ms': ms(first),
    };
  } finally {
    await db.close();
  }
  console.log('\ncheckpoint of one batch on dynalite');
  console.table([batch]);

  // 10^5 entries in memory, written as the log writes them (sealed, with card pointers).
  const table = new MemoryTable();
  const log = await logOver(table, 1_000_000_000);
  const macKey = await log.context.macKey();
  const heads = Array.from({ length: SHARDS }, () => ({ seq: 0, hash: '0'.repeat(64) }));
  const put = async (i: number) => {
    const shard = i % SHARDS;
    const head = heads[shard] ?? { seq: 0, hash: '' };
    const entry = sealEntry(macKey, content(i), shard, head.seq + 1, head.hash);
    heads[shard] = { seq: entry.seq, hash: entry.hash };
    await table.put(entryItem(entry));
    const pointer = cardPointerItem(entry);
    if (pointer) await table.put(pointer);
  };
  for (let i = 0; i < BIG; i++) await put(i);
  let t = performance.now();
  const first = await log.checkpoint();
  const firstMs = performance.now() - t;
  for (let i = BIG; i < BIG + EVERY * SHARDS; i++) await put(i);
  t = performance.now();
  await log.checkpoint();
  const incrementalMs = performance.now() - t;
  t = performance.now();
  const full = await log.verify();
  const fullMs = performance.now() - t;
  t = performance.now();
  const incremental = await log.verify({ from: first.body.index });
  const incrementalVerifyMs = performance.now() - t;
  t = performance.now();
  const proof = await log.proveCard('CARD-7');
  const proveMs = performance.now() - t;
  t = performance.now();
  const consistency = await log.proveConsistency(first.body.index);
  const consistencyMs = performance.now() - t;
  const big = {
    entries: BIG,
    'first checkpoint ms': ms(firstMs),
    [`next checkpoint (+${EVERY * SHARDS}) ms`]: ms(incrementalMs),
    'verify full ms': ms(fullMs),
    'verify incremental ms': ms(incrementalVerifyMs),
    ok: full.ok && incremental.ok,
    'inclusion proof hashes': proof.entries[0]?.proof.length,
    'inclusion proof bytes': (proof.entries[0]?.proof.length ?? 0) * 32,
    [`prove --card (${proof.entries.length} entries) ms`]: ms(proveMs),
    'prove --card JSON KB': Number((JSON.stringify(proof).length / 1024).toFixed(1)),
    'consistency proof hashes': consistency.proof.length,
    'consistency proof ms': ms(consistencyMs),
  };
  console.log(`\naudit log at ${BIG} entries (MemoryTable)`);
  console.table([big]);
  return { benchmark: 'audit', appends, batch, big };
}
