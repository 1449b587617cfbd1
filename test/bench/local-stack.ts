import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK } from 'jose';
import { connectAsync } from 'mqtt';
import { localIssuer } from '../../cloud/src/auth/identity';
import { composeCloud } from '../../cloud/src/compose';
import { localKeyWrapper } from '../../cloud/src/crypto/envelope-encryption';
import { localSigner } from '../../cloud/src/crypto/signer';
import { meteredKeyWrapper, meteredPublisher, meteredSigner } from '../../cloud/src/metering/metered-ports';
import { MeteredTable } from '../../cloud/src/metering/metered-table';
import { UsageMeter } from '../../cloud/src/metering/usage-meter';
import { startEmbeddedBroker } from '../../cloud/src/node/embedded-broker';
import { mqttPublisher } from '../../cloud/src/publishing/mqtt-publisher';
import { subscribeResults } from '../../cloud/src/publishing/result-subscriber';
import { AgentDaemon } from '../../edge-agent/src/daemon/agent-daemon';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { ResultOutbox } from '../../edge-agent/src/daemon/result-outbox';
import { InProcessReaders } from '../../edge-agent/src/readers/in-process-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { startDynalite } from '../support/dynalite';
import { scriptedPrompter } from '../support/prompters';
import { addEnrolledAgent, apiRequest, pushExample } from '../support/test-cloud';

/**
 * The local stack the scale benchmarks run on, with no pcscd, vpcd or Mosquitto: the
 * cloud composed as `npm run cloud` composes it, over dynalite, publishing to an
 * embedded Aedes broker; every port behind a recording wrapper (cloud/src/metering/);
 * agents are the real daemon with an in-process virtual CardOS card. A tap client on
 * the broker counts every message by topic and size (what AWS IoT Core meters).
 */
export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;

export async function startLocalStack(options: { ingestConcurrency?: number } = {}) {
  const meter = new UsageMeter();
  const db = await startDynalite();
  const broker = await startEmbeddedBroker();
  const publisher = meteredPublisher(await mqttPublisher(broker.url, { clientId: 'bench-publish' }), meter);
  const issuer = await localIssuer();
  const signer = meteredSigner(await localSigner('k1'), meter);
  const cloud = composeCloud({
    releaseGate: 'open', // jobs on pushed drafts, as before releases (docs/releases.md)
    table: new MeteredTable(db.table, meter),
    tokens: issuer,
    keyWrapper: meteredKeyWrapper(localKeyWrapper(new Uint8Array(32).fill(7)), meter),
    signer,
    publication: { publisher, issuer: 'cardfleet-cloud' },
  });
  const tokens = {
    admin: await issuer.issue({ sub: 'alice', role: 'admin' }),
    operatorBerlin: await issuer.issue({ sub: 'otto', role: 'operator', office: 'berlin' }),
  };
  const call = (method: string, path: string, body?: unknown, token = tokens.operatorBerlin) =>
    Promise.resolve(cloud.app.request(path, apiRequest(method, { token, ...(body ? { body } : {}) })));
  // What the test-cloud helpers (pushExample, addEnrolledAgent) call the API through.
  const test = {
    cloud,
    signer,
    tokens: { ...tokens, agent: '', operatorParis: '', auditor: '' },
    call: (method: string, path: string, o: { token?: string; body?: unknown } = {}) =>
      Promise.resolve(cloud.app.request(path, apiRequest(method, o))),
  };

  // What the broker carries, by topic kind: messages and bytes (payload + topic).
  const traffic = new Map<string, { messages: number; bytes: number; sizes: number[] }>();
  const tap = await connectAsync(broker.url, { clientId: 'bench-tap' });
  tap.on('message', (topic, payload) => {
    const kind = topic.split('/').at(-1) ?? topic;
    const seen = traffic.get(kind) ?? { messages: 0, bytes: 0, sizes: [] };
    const size = payload.length + Buffer.byteLength(topic);
    seen.messages++;
    seen.bytes += size;
    seen.sizes.push(size);
    traffic.set(kind, seen);
  });
  await tap.subscribeAsync('cardfleet/#', { qos: 0 });

  // The cloud's ingestion: a result is "stored" when its acknowledgement is returned.
  const stored = new Map<string, number>();
  // Time the cloud spent handling agent messages (a Lambda's billed duration in AWS).
  const handlerMs = { results: 0, progress: 0 };
  const onStored = new Set<(jobId: string) => void>();
  const subscriber = await subscribeResults(
    broker.url,
    {
      receiveResult: async (agentId, payload) => {
        const t = performance.now();
        const ack = await cloud.receiveResult(agentId, payload);
        handlerMs.results += performance.now() - t;
        if (ack && !stored.has(ack.jobId)) {
          stored.set(ack.jobId, performance.now());
          for (const listener of onStored) listener(ack.jobId);
        }
        return ack;
      },
      presence: cloud.presence,
      progress: async (agentId, event) => {
        const t = performance.now();
        await cloud.progress(agentId, event);
        handlerMs.progress += performance.now() - t;
      },
    },
    { concurrency: options.ingestConcurrency ?? 4 },
  );

  const jwks = (await (await cloud.app.request('/.well-known/jwks.json')).json()) as {
    keys: (JWK & { kid: string })[];
  };
  const keys = new Map(
    await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k, 'ES256')] as const)),
  );
  const root = mkdtempSync(join(tmpdir(), 'cardfleet-bench-'));
  const card = join(import.meta.dirname, '../../examples/cards/cardos.json');
  const daemons: AgentDaemon[] = [];

  return {
    meter,
    db,
    cloud,
    tokens,
    call,
    traffic,
    stored,
    handlerMs,
    async push(example: string) {
      await pushExample(test, example);
    },
    /** Adds, enrols and (unless `connect` is false) starts an agent daemon with its own card. */
    async agent(
      agentId: string,
      office = 'berlin',
      connect = true,
      trace?: (stage: 'received' | 'admitted' | 'ran' | 'reported', jobId?: string) => void,
    ) {
      const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await addEnrolledAgent(test, agentId, office, key.publicKey);
      if (!connect) return key;
      const readers = new InProcessReaders();
      readers.insert('Virtual Reader 0', loadCardProfile(card));
      const daemon = new AgentDaemon({
        agentId,
        mqttUrl: broker.url,
        keys,
        privateKey: key.privateKey,
        ledger: new JobLedger(join(root, agentId, 'ledger.jsonl')),
        outbox: new ResultOutbox(join(root, agentId, 'outbox')),
        readers,
        defaultReader: 'Virtual Reader 0',
        prompter: scriptedPrompter([]),
        clock: systemClock,
        ...(trace ? { trace } : {}),
      });
      await daemon.start();
      daemons.push(daemon);
      return key;
    },
    /** Resolves when the job's result is stored (acknowledged). */
    storedResult(jobId: string, timeoutMs = 30_000): Promise<number> {
      const at = stored.get(jobId);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          onStored.delete(listener);
          reject(new Error(`job ${jobId} not stored within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (id: string) => {
          if (id !== jobId) return;
          clearTimeout(timer);
          onStored.delete(listener);
          resolve(stored.get(jobId) ?? performance.now());
        };
        onStored.add(listener);
      });
    },
    /** Every daemon has nothing in flight. */
    idle: () => Promise.all(daemons.map((d) => d.idle())),
    async close() {
      for (const daemon of daemons) await daemon.stop().catch(() => undefined);
      await subscriber.endAsync();
      await subscriber.idle();
      await tap.endAsync();
      await publisher.close();
      await broker.close();
      await db.close();
    },
  };
}
