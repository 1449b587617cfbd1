import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '@cardfleet/shared';
import { startLocalCloud } from '../cloud/src/node/start-local-cloud';
import { enrolAgent } from '../edge-agent/src/daemon/agent-identity';
import { startAgent } from '../edge-agent/src/daemon/start-agent';
import { PcscliteReaders } from '../edge-agent/src/readers/pcsclite-readers';
import { waitForCard } from '../edge-agent/src/readers/wait-for-card';
import { loadCardProfile } from '../edge-agent/src/virtual-card/card-profile';
import { attachToVpcd, parseVpcdAddress } from '../edge-agent/src/virtual-card/vpcd-link';

/**
 * The whole system on one machine, as `npm start` runs it (scripts/start.ts) and the web
 * console's browser tests drive it (test/support/console-stack.ts): an embedded MQTT
 * broker (Aedes, or `mqttUrl`), the cloud on dynalite (data in `dataDir`), and one
 * enrolled edge agent of office "local" with a virtual CardOS card — in pcscd's vpcd
 * reader (reached through PC/SC like a real card), or in-process, or a real `reader`.
 */
export interface LocalSystemOptions {
  dataDir: string;
  port?: number;
  mqttUrl?: string;
  dynamoEndpoint?: string;
  /** `host:port` of an empty vpcd reader to put the virtual card in; undefined: in-process card. */
  vpcd?: string;
  /** A real reader instead (pcscd), e.g. CARDFLEET_READER. */
  reader?: string;
  pkcs11Modules?: Record<string, string>;
  /** Both processes' structured logs (default: each its own, as `npm start` shows them). */
  cloudLogger?: Logger;
  agentLogger?: Logger;
}

export const LOCAL_AGENT = 'agent-local-1';
export const LOCAL_OFFICE = 'local';
const CARD = 'examples/cards/cardos.json';

export async function startLocalSystem(options: LocalSystemOptions) {
  const stateDirectory = join(options.dataDir, 'agent');
  // The embedded broker puts every client through the broker authorizer, as IoT Core's
  // custom authorizer would: the agent logs in with a login signed by its enrolled key,
  // the cloud's publisher and ingest each as its own user (docs/messaging.md).
  const cloud = await startLocalCloud({
    dataDir: options.dataDir,
    port: options.port ?? 0,
    ...(options.mqttUrl ? { mqttUrl: options.mqttUrl } : { embeddedBroker: {} }),
    ...(options.dynamoEndpoint ? { dynamoEndpoint: options.dynamoEndpoint } : {}),
    ...(options.cloudLogger ? { logger: options.cloudLogger } : {}),
  });
  const mqttUrl = cloud.mqttUrl ?? '';
  const issue = (sub: string, role: 'admin' | 'operator' | 'auditor', office?: string) =>
    cloud.issuer.issue({ sub, role, ...(office ? { office } : {}) });
  // A second admin: releases take four eyes, the admin who pushed a version never approves it (docs/releases.md).
  const tokens = {
    admin: await issue('local-admin', 'admin'),
    admin2: await issue('local-admin-2', 'admin'),
    operator: await issue('local-operator', 'operator', LOCAL_OFFICE),
    auditor: await issue('local-auditor', 'auditor'),
  };
  if (!existsSync(join(stateDirectory, 'identity.json'))) {
    const added = await fetch(`${cloud.url}/v1/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: LOCAL_AGENT, office: LOCAL_OFFICE }),
    });
    if (added.status !== 201)
      throw new Error(`cannot add ${LOCAL_AGENT}: ${added.status} ${await added.text()}`);
    const { enrolmentCode } = (await added.json()) as { enrolmentCode: string };
    await enrolAgent({ apiUrl: cloud.url, agentId: LOCAL_AGENT, code: enrolmentCode, stateDirectory });
  }
  const vpcd = options.vpcd
    ? attachToVpcd(loadCardProfile(resolve(CARD)), parseVpcdAddress(options.vpcd))
    : undefined;
  await vpcd?.connected;
  const reader = options.reader ?? (vpcd ? 'Virtual PCD 00 00' : undefined);
  if (vpcd && reader) {
    const readers = new PcscliteReaders();
    await waitForCard(readers, reader, true).finally(() => readers.close());
  }
  const agent = await startAgent(
    'npm-start',
    {
      stateDirectory,
      mqttUrl,
      ...(cloud.broker ? { mqttCredential: { kind: 'token' } } : {}),
      ...(reader ? { reader } : { virtualCard: resolve(CARD) }),
      // Dry runs always have their own in-process card, on vpcd too (docs/security.md, "Dry runs").
      dryRunCard: resolve(CARD),
      ...(options.pkcs11Modules ? { pkcs11Modules: options.pkcs11Modules } : {}),
    },
    process.cwd(),
    ...(options.agentLogger ? [options.agentLogger] : []),
  );
  // The fragment (#token=…) never leaves the browser in a request; the console takes it
  // out of the address bar at once (docs/console.md, "Sign-in").
  const consoleLinks = Object.fromEntries(
    Object.entries(tokens).map(([role, value]) => [role, `${cloud.url}/console/#token=${value}`]),
  ) as Record<keyof typeof tokens, string>;
  return {
    cloud,
    agent,
    mqttUrl,
    stateDirectory,
    tokens,
    consoleLinks,
    /** The virtual card in pcscd's vpcd reader, when there is one. */
    vpcd,
    reader: agent.reader,
    issue,
    async stop() {
      await agent.stop();
      await vpcd?.close();
      await cloud.close();
    },
  };
}
