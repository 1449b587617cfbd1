import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLOUD_INGEST_USER,
  CLOUD_PUBLISH_USER,
  observerUser,
  signBrokerLogin,
  TOPIC_ROOT,
  topics,
} from '@cardfleet/shared';
import { importJWK, type JWK } from 'jose';
import { connectAsync } from 'mqtt';
import { inject } from 'vitest';
import type { AgentStore } from '../../cloud/src/agents/agent-store';
import { startEmbeddedBroker } from '../../cloud/src/node/embedded-broker';
import type { PublicationDeps } from '../../cloud/src/publishing/job-publication';
import { mqttPublisher } from '../../cloud/src/publishing/mqtt-publisher';
import { subscribeResults } from '../../cloud/src/publishing/result-subscriber';
import { AgentDaemon, type AgentDaemonOptions } from '../../edge-agent/src/daemon/agent-daemon';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { ResultOutbox } from '../../edge-agent/src/daemon/result-outbox';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { passwordOf, SERVICE_USERS, serviceLogin, testAuthorizer } from './broker-identities';
import { addEnrolledAgent, publicationDeps, pushExample, startCloud } from './cloud-server';
import { startMosquitto } from './mosquitto';
import { freePort } from './ports';
import { scriptedPrompter } from './prompters';
import { pcscdRig, type ReaderRig } from './reader-fixtures';
import { startTcpProxy } from './tcp-proxy';

/**
 * The whole chain for end-to-end tests: the cloud API over dynalite, a broker (the rig's
 * Mosquitto, or an embedded Aedes that authenticates every client and enforces the
 * per-agent policy), an enrolled agent daemon, and a virtual CardOS card in a vpcd reader. The
 * agent can be stopped and started again on the same state, as after a crash.
 */
export const AGENT = 'agent-berlin-1';
/** A second agent the brokers know, for an agent run as its own process (crash tests). */
export const PROCESS_AGENT = 'agent-berlin-2';

export async function startSystem(
  options: {
    broker?: 'mosquitto' | 'own-mosquitto' | 'aedes';
    /**
     * Daemon options: how PIN lines are asked (default: a prompter with no answers), its
     * log, what a verified cancel tells, the PKCS#11 and License handlers.
     */
    agent?: Partial<
      Pick<AgentDaemonOptions, 'prompter' | 'log' | 'onCancel' | 'handlers' | 'batches' | 'dryRunCard'>
    >;
    /** Example encodings to push besides read-version. */
    encodings?: string[];
    /** The agent reaches the broker through a TCP proxy the test can cut (`proxy` below). */
    proxy?: boolean;
    /** The cloud publishes what it queues at once, as `npm start` does (batches need it). */
    publishOnQueue?: boolean;
    /** Releases as a deployment enforces them (default: drafts run, as before releases). */
    releaseGate?: 'enforced' | 'open';
  } = {},
) {
  const rig = inject('rig');
  // The broker: the rig's shared Mosquitto (open), or one of this system's own that
  // authenticates and enforces the per-agent policy and can be restarted — a Mosquitto
  // with password + acl files (client id = user name), or the embedded Aedes through the
  // broker authorizer (agents log in with logins signed by their enrolled keys). Every
  // client is its own user (docs/messaging.md, "Broker identity").
  const agentPassword = 'agent-secret';
  const mosquittoUsers = {
    ...Object.fromEntries(SERVICE_USERS.map((user) => [user, passwordOf(user)])),
    [AGENT]: agentPassword,
    [PROCESS_AGENT]: agentPassword,
  };
  // The authorizer asks the agent store of the cloud started below.
  let agentStore: AgentStore | undefined;
  const authorize = testAuthorizer({ get: async (id) => agentStore?.get(id, { presence: false }) });
  const aedesPort = options.broker === 'aedes' ? await freePort() : 0;
  let aedes =
    options.broker === 'aedes' ? await startEmbeddedBroker({ authorize, port: aedesPort }) : undefined;
  const mosquitto =
    options.broker === 'own-mosquitto' ? await startMosquitto({ users: mosquittoUsers }) : undefined;
  const mqttUrl = aedes?.url ?? mosquitto?.url ?? rig.mqttUrl;
  const proxy = options.proxy ? await startTcpProxy({ port: Number(new URL(mqttUrl).port) }) : undefined;
  const authenticated = aedes !== undefined || mosquitto !== undefined;
  const login = (user: string) => (authenticated ? serviceLogin(user) : { clientId: user });
  // The rig's Mosquitto is shared by every test file of a run: persistent sessions of the
  // same client ids from an earlier file would deliver that file's queued messages here.
  // A clean connect of each persistent client id discards them (MQTT 3.1.1 §3.1.2.4).
  if (!authenticated)
    for (const clientId of [AGENT, PROCESS_AGENT, CLOUD_INGEST_USER])
      await (await connectAsync(mqttUrl, { clientId, clean: true })).endAsync();
  const examples = join(import.meta.dirname, '../../examples');
  // Revocation reaches the broker: Mosquitto reloads its password file without the agent,
  // the embedded Aedes disconnects it at once (its authorizer refuses it from now on).
  const publisher = await mqttPublisher(mqttUrl, login(CLOUD_PUBLISH_USER));
  const cloud = await startCloud({
    ...(options.publishOnQueue ? { publication: { publisher, issuer: 'cardfleet-cloud' } } : {}),
    ...(options.releaseGate ? { releaseGate: options.releaseGate } : {}),
    onAgentRevoked: (agentId) => {
      mosquitto?.revoke(agentId);
      aedes?.disconnect(agentId);
    },
  });
  agentStore = cloud.cloud.agents;
  for (const id of ['read-version', ...(options.encodings ?? [])]) await pushExample(cloud, id);
  // One P-256 key pair serves the agent's ES256 result signatures and ECDH-ES secrets.
  const agentKey: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  await addEnrolledAgent(cloud, AGENT, 'berlin', agentKey.publicKey);
  const jwks = (await (await fetch(`${cloud.base}/.well-known/jwks.json`)).json()) as {
    keys: (JWK & { kid: string })[];
  };
  const keys = new Map(
    await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k, 'ES256')] as const)),
  );

  const readers: ReaderRig = await pcscdRig.create();
  const counter = { apdus: 0 };
  const hooks: {
    onApdu?: (() => void) | undefined;
    /** Holds the card's answer to a command until the promise settles (a slow card). */
    beforeReply?: ((command: Uint8Array) => Promise<void> | undefined) | undefined;
  } = {};
  const beforeReply = (command: Uint8Array) => hooks.beforeReply?.(command);
  const card = () => loadCardProfile(join(examples, 'cards/cardos.json'));
  const onApdu = () => {
    counter.apdus++;
    hooks.onApdu?.();
  };
  let inserted = card();
  await readers.insert(inserted, 0, onApdu, beforeReply);
  const state = mkdtempSync(join(tmpdir(), 'cardfleet-agent-'));
  const ledgerPath = join(state, 'ledger.jsonl');
  const outbox = new ResultOutbox(join(state, 'outbox'));
  const newDaemon = () =>
    new AgentDaemon({
      agentId: AGENT,
      mqttUrl: proxy?.url ?? mqttUrl,
      ...(aedes
        ? { mqttCredential: { kind: 'token' as const } }
        : mosquitto
          ? { mqttCredential: { kind: 'password' as const, password: agentPassword } }
          : {}),
      keys,
      privateKey: agentKey.privateKey,
      ledger: new JobLedger(ledgerPath),
      outbox,
      readers: readers.port,
      defaultReader: readers.reader,
      prompter: scriptedPrompter([]),
      clock: systemClock,
      resendAfterMs: 1000,
      reconnectMaxMs: 2000,
      batches: { statePath: join(state, 'batch.json') },
      ...options.agent,
    });
  let daemon = newDaemon();
  await daemon.start();
  const ingestion = () =>
    subscribeResults(
      mqttUrl,
      {
        receiveResult: cloud.cloud.receiveResult,
        progress: cloud.cloud.progress,
        presence: cloud.cloud.presence,
        batch: cloud.cloud.batch,
      },
      login(CLOUD_INGEST_USER),
    );
  let subscriber = await ingestion();
  // A witness of what the broker delivered to the agent, to replay it later.
  const envelopes: string[] = [];
  const spy = await connectAsync(mqttUrl, login(observerUser('spy')));
  spy.on('message', (_topic, payload) => envelopes.push(payload.toString()));
  await spy.subscribeAsync(topics.jobs(AGENT), { qos: 1 });
  // Everything on the agents' topic tree, as the broker carried it (secret searches).
  const traffic: { topic: string; payload: Buffer }[] = [];
  const wiretap = await connectAsync(mqttUrl, login(observerUser('wiretap')));
  wiretap.on('message', (topic, payload) => traffic.push({ topic, payload }));
  await wiretap.subscribeAsync(`${TOPIC_ROOT}/#`, { qos: 1 });

  const publication = (): PublicationDeps => publicationDeps(cloud, publisher);
  const api = async <T>(method: string, path: string, token: string, body?: unknown) =>
    (await (await cloud.call(method, path, { token, ...(body === undefined ? {} : { body }) })).json()) as T;
  const until = async (what: string, condition: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 300; i++) {
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${what} did not happen`);
  };
  /** Waits until the job is in one of `states` (as the auditor sees it) and returns it. */
  const jobIn = async <T extends { state: string }>(jobId: string, ...states: string[]): Promise<T> => {
    let job: T | undefined;
    await until(`job ${jobId} to be ${states.join(' or ')}`, async () => {
      job = await api<T>('GET', `/v1/jobs/${jobId}`, cloud.tokens.auditor);
      return states.includes(job.state);
    });
    return job as T;
  };
  /**
   * The card holds its answer to the next command until `release()` (a fault can then
   * land while the job is on the card); `commands()` counts what reached it since.
   */
  const holdNextAnswer = () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let commands = 0;
    hooks.beforeReply = () => (commands++ === 0 ? held : undefined);
    return { commands: () => commands, release: () => release() };
  };
  return {
    cloud,
    mqttUrl,
    /** Between the agent and the broker, with `proxy: true`. */
    proxy,
    jobIn,
    holdNextAnswer,
    /** The broker password of an agent on this system's Mosquitto (undefined: another broker). */
    agentPassword: mosquitto ? agentPassword : undefined,
    /**
     * The broker login lines of an agent's configuration (start-agent.ts) for this
     * broker: a signed login on Aedes, a password file (written in `directory`) on this
     * system's Mosquitto, nothing on the rig's open one.
     */
    agentBrokerConfig: (directory: string): Record<string, unknown> => {
      if (options.broker === 'aedes') return { mqttCredential: { kind: 'token' } };
      if (!mosquitto) return {};
      const file = join(directory, 'mqtt-password');
      writeFileSync(file, agentPassword, { mode: 0o600 });
      return { mqttPasswordFile: file };
    },
    /** MQTT login options of this system's agent, as it would connect now (undefined: open broker). */
    agentLogin: (): { username: string; password: string } | undefined => {
      if (mosquitto) return { username: AGENT, password: agentPassword };
      if (!aedes) return undefined;
      const now = Math.floor(Date.now() / 1000);
      return {
        username: AGENT,
        password: signBrokerLogin(agentKey.privateKey, { agentId: AGENT, audience: topics.root, now }),
      };
    },
    /** Ends an agent's connection on the embedded Aedes at once (revocation). */
    disconnectFromBroker: (clientId: string) => aedes?.disconnect(clientId) ?? false,
    readers,
    counter,
    outbox,
    ledgerPath,
    envelopes,
    traffic,
    state,
    publisher,
    publication,
    api,
    until,
    daemon: () => daemon,
    /** Called after every APDU the card answered (fault injection). */
    hooks,
    reinsertCard: () => {
      inserted = card();
      return readers.insert(inserted, 0, onApdu, beforeReply);
    },
    /** The virtual card in the reader now. */
    currentCard: () => inserted,
    restartAgent: async (beforeStart?: () => void) => {
      await daemon.stop();
      beforeStart?.();
      daemon = newDaemon();
      await daemon.start();
    },
    stopAgent: () => daemon.stop(),
    /** Stops this system's own broker (every session is lost) … */
    stopBroker: async () => {
      if (mosquitto) await mosquitto.stop();
      else if (aedes) await aedes.close();
      else throw new Error("the rig's shared Mosquitto is not restarted by a test");
      aedes = undefined;
    },
    /** … and starts it again on the same port. */
    startBroker: async () => {
      if (mosquitto) await mosquitto.start();
      else if (options.broker === 'aedes') aedes = await startEmbeddedBroker({ authorize, port: aedesPort });
    },
    /** The cloud's ingestion goes away (its broker session keeps what arrives meanwhile). */
    stopIngestion: () => subscriber.endAsync(),
    startIngestion: async () => {
      subscriber = await ingestion();
    },
    startAgent: async () => {
      daemon = newDaemon();
      await daemon.start();
    },
    close: async () => {
      await spy.endAsync();
      await wiretap.endAsync();
      await publisher.close();
      await subscriber.endAsync();
      await daemon.stop();
      await readers.close();
      await cloud.close();
      await proxy?.close();
      await aedes?.close();
      await mosquitto?.stop();
    },
  };
}
