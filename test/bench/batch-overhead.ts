import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK } from 'jose';
import { mqttPublisher } from '../../cloud/src/publishing/mqtt-publisher';
import { subscribeResults } from '../../cloud/src/publishing/result-subscriber';
import type { BatchStage } from '../../edge-agent/src/batches/batch-loop';
import { AgentDaemon } from '../../edge-agent/src/daemon/agent-daemon';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { ResultOutbox } from '../../edge-agent/src/daemon/result-outbox';
import { PcscliteReaders } from '../../edge-agent/src/readers/pcsclite-readers';
import { waitForCard } from '../../edge-agent/src/readers/wait-for-card';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { createVirtualCard } from '../../edge-agent/src/virtual-card/card-profile';
import { attachToVpcd } from '../../edge-agent/src/virtual-card/vpcd-link';
import { addEnrolledAgent, startCloud } from '../support/cloud-server';
import { startMosquitto } from '../support/mosquitto';
import { scriptedPrompter } from '../support/prompters';
import { quantile, startBenchRig } from './bench-rig';

/**
 * Batch overhead per card (docs/batches.md): a batch of `BENCH_BATCH_CARDS` (default 20)
 * 10-APDU cards through the real chain — HTTP API on dynalite, Mosquitto, the agent
 * daemon with its batch loop, pcscd + vpcd — each card a new vpcd link with its own
 * serial. Per card: pcscd noticing the card (insert → the agent sees it), the agent's
 * part from seeing the card to its first APDU ("next" → the card's job made, signed,
 * published, delivered, admitted), the card itself (first → last APDU), and from the last
 * APDU to "remove card" (result signed, journaled, published; the loop's 50 ms look).
 * The card runs in this process (attached per card), so its answers share the event
 * loop. Prints figures only.
 */
const CARDS = Number(process.env.BENCH_BATCH_CARDS ?? 20);
const AGENT = 'bench-batch-agent';
const SCRIPT = Array.from({ length: 10 }, () => 'RAW:00CA018202').join('\n');
const FILES = {
  'encoding.ini': 'ApplicationList=A\n[A]\nApduFile=ten.apdu\n',
  // Ten reads, then the card's own name (its CSV row) written to EF GDO: 12 APDUs a card.
  'ten.apdu': `${SCRIPT}\nRAW:00A4080C022F02\nDYN:00D60000;<string>N\n`,
};

export async function batchOverheadBenchmark(): Promise<Record<string, unknown>> {
  const rig = await startBenchRig();
  const broker = await startMosquitto();
  const publisher = await mqttPublisher(broker.url, { clientId: 'bench-batch-publish' });
  const cloud = await startCloud({ publication: { publisher, issuer: 'cardfleet-cloud' } });
  const readers = new PcscliteReaders();
  const closers: (() => Promise<unknown>)[] = [];
  try {
    await waitForCard(readers, rig.reader, false);
    const body = {
      id: 'ten-apdus',
      files: Object.entries(FILES).map(([name, text]) => ({
        name,
        base64: Buffer.from(text).toString('base64'),
      })),
    };
    await cloud.call('POST', '/v1/encodings', { token: cloud.tokens.admin, body });
    const agentKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await addEnrolledAgent(cloud, AGENT, 'berlin', agentKey.publicKey);
    const jwks = (await (await fetch(`${cloud.base}/.well-known/jwks.json`)).json()) as {
      keys: (JWK & { kid: string })[];
    };
    const keys = new Map(
      await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k, 'ES256')] as const)),
    );
    const stamps = new Map<string, number>();
    const state = mkdtempSync(join(tmpdir(), 'cardfleet-bench-batch-'));
    const daemon = new AgentDaemon({
      agentId: AGENT,
      mqttUrl: broker.url,
      keys,
      privateKey: agentKey.privateKey,
      ledger: new JobLedger(join(state, 'ledger.jsonl')),
      outbox: new ResultOutbox(join(state, 'outbox')),
      readers,
      defaultReader: rig.reader,
      prompter: scriptedPrompter([]),
      clock: systemClock,
      batches: {
        statePath: join(state, 'batch.json'),
        trace: (stage: BatchStage, index) => stamps.set(`${stage}:${index}`, performance.now()),
      },
    });
    await daemon.start();
    closers.push(() => daemon.stop());
    const subscriber = await subscribeResults(broker.url, {
      receiveResult: cloud.cloud.receiveResult,
      progress: cloud.cloud.progress,
      batch: cloud.cloud.batch,
    });
    closers.push(() => subscriber.endAsync());
    const csv = `N\n${Array.from({ length: CARDS }, (_, i) => `card-${i + 1}`).join('\n')}\n`;
    const started = await cloud.call('POST', '/v1/batches', {
      token: cloud.tokens.operatorBerlin,
      body: { agentId: AGENT, reader: rig.reader, encodingId: 'ten-apdus', count: CARDS, csv },
    });
    if (started.status !== 201) throw new Error(`batch start: ${started.status} ${await started.text()}`);
    const profile = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../examples/cards/cardos.json'), 'utf8'),
    );
    const rows = {
      'insert → agent sees the card (pcscd)': [],
      'seen → first APDU': [],
      'card: first → last APDU': [],
      'last APDU → "remove card"': [],
    } as Record<string, number[]>;
    for (let n = 1; n <= CARDS; n++) {
      while (!daemon.batch?.open || daemon.batch.open.nextIndex !== n || daemon.batch.open.awaitRemoval)
        await new Promise((r) => setTimeout(r, 5));
      let first = 0;
      let last = 0;
      const inserted = performance.now();
      const link = attachToVpcd(
        createVirtualCard({ ...profile, serialNumber: (0x1000 + n).toString(16).padStart(16, '0') }),
        {
          port: rig.vpcdPort,
          onApdu: () => {
            last = performance.now();
            if (!first) first = last;
          },
        },
      );
      await link.connected;
      while (!stamps.has(`remove-asked:${n}`)) await new Promise((r) => setTimeout(r, 2));
      const seen = stamps.get(`card-seen:${n}`) ?? 0;
      // pcscd's ATR exchange is an APDU-free reset; the first command is the job's.
      rows['insert → agent sees the card (pcscd)']?.push(seen - inserted);
      rows['seen → first APDU']?.push(first - seen);
      rows['card: first → last APDU']?.push(last - first);
      rows['last APDU → "remove card"']?.push((stamps.get(`remove-asked:${n}`) ?? 0) - last);
      await link.close();
      await waitForCard(readers, rig.reader, false);
    }
    const table = Object.entries(rows).map(([stage, values]) => ({
      stage,
      p50ms: Number(quantile(values, 0.5).toFixed(1)),
      p95ms: Number(quantile(values, 0.95).toFixed(1)),
    }));
    console.log(`\nbatch overhead per card (${CARDS} cards of 12 APDUs, one after another)`);
    console.table(table);
    return { benchmark: 'batch-overhead', cards: CARDS, rows: table };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await readers.close();
    await cloud.close();
    await publisher.close();
    await broker.stop();
    await rig.stop();
  }
}
