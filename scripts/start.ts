import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startLocalCloud } from '../cloud/src/node/start-local-cloud';
import { enrolAgent } from '../edge-agent/src/daemon/agent-identity';
import { startAgent } from '../edge-agent/src/daemon/start-agent';
import { PcscliteReaders } from '../edge-agent/src/readers/pcsclite-readers';
import { waitForCard } from '../edge-agent/src/readers/wait-for-card';
import { loadCardProfile } from '../edge-agent/src/virtual-card/card-profile';
import { emptyVpcdReader } from '../edge-agent/src/virtual-card/vpcd-detect';
import { attachToVpcd, parseVpcdAddress } from '../edge-agent/src/virtual-card/vpcd-link';

/**
 * `npm start`: the whole system on one machine — an embedded MQTT broker (Aedes, or
 * MQTT_URL), the cloud on dynalite (data in .data/), and one enrolled edge agent with
 * an in-process virtual CardOS card (or CARDFLEET_READER with pcscd). Writes
 * .data/local.json (URL, tokens) for `npm run demo` and the admin CLI.
 */
const dataDir = resolve(process.env.CARDFLEET_DATA_DIR ?? '.data');
const agentId = 'agent-local-1';
const stateDirectory = join(dataDir, 'agent');
// The embedded broker puts every client through the broker authorizer, as IoT Core's
// custom authorizer would: the agent logs in with a login signed by its enrolled key,
// the cloud's publisher and ingest each as its own user (docs/messaging.md).
const cloud = await startLocalCloud({
  dataDir,
  port: Number(process.env.PORT ?? 8787),
  ...(process.env.MQTT_URL ? { mqttUrl: process.env.MQTT_URL } : { embeddedBroker: {} }),
  ...(process.env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
});
const broker = cloud.broker;
const mqttUrl = cloud.mqttUrl ?? '';
const token = (role: 'admin' | 'operator' | 'auditor') =>
  cloud.issuer.issue({ sub: `local-${role}`, role, ...(role === 'operator' ? { office: 'local' } : {}) });
const admin = await token('admin');

if (!existsSync(join(stateDirectory, 'identity.json'))) {
  const added = await fetch(`${cloud.url}/v1/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: agentId, office: 'local' }),
  });
  if (added.status !== 201) throw new Error(`cannot add ${agentId}: ${added.status} ${await added.text()}`);
  const { enrolmentCode } = (await added.json()) as { enrolmentCode: string };
  await enrolAgent({ apiUrl: cloud.url, agentId, code: enrolmentCode, stateDirectory });
}
// CARDFLEET_VPCD=host:port: the virtual card goes into pcscd's vpcd reader instead, and
// the agent reaches it through PC/SC like a real card (reader: CARDFLEET_READER or
// "Virtual PCD 00 00").
// Unset: used when pcscd runs with an empty vpcd reader; "off": always in-process.
const vpcdAddress =
  process.env.CARDFLEET_VPCD === 'off'
    ? undefined
    : (process.env.CARDFLEET_VPCD ??
      (!process.env.CARDFLEET_READER && (await emptyVpcdReader()) ? '127.0.0.1:35963' : undefined));
const vpcd = vpcdAddress ? await attachVirtualCard(vpcdAddress) : undefined;
const reader = process.env.CARDFLEET_READER ?? (vpcd ? 'Virtual PCD 00 00' : undefined);
if (vpcd && reader) {
  const readers = new PcscliteReaders();
  await waitForCard(readers, reader, true).finally(() => readers.close());
}
const agent = await startAgent('npm-start', {
  stateDirectory,
  mqttUrl,
  ...(broker ? { mqttCredential: { kind: 'token' } } : {}),
  ...(reader ? { reader } : { virtualCard: resolve('examples/cards/cardos.json') }),
  // Dry runs always have their own in-process card, on vpcd too (docs/security.md, "Dry runs").
  dryRunCard: resolve('examples/cards/cardos.json'),
  ...(process.env.CARDFLEET_PKCS11_MODULES
    ? { pkcs11Modules: parseModules(process.env.CARDFLEET_PKCS11_MODULES) }
    : {}),
});

// A second admin: releases take four eyes, the admin who pushed a version never approves it (docs/releases.md).
const admin2 = await cloud.issuer.issue({ sub: 'local-admin-2', role: 'admin' });
const tokens = { admin, admin2, operator: await token('operator'), auditor: await token('auditor') };
writeFileSync(
  join(dataDir, 'local.json'),
  JSON.stringify({ apiUrl: cloud.url, mqttUrl, agentId, consoleUrl: agent.consoleLink, tokens }, null, 2),
  { mode: 0o600 },
);
process.stdout.write(
  [
    `cardfleet is running`,
    `  API:      ${cloud.url}   (OpenAPI at ${cloud.url}/openapi.json)`,
    `  broker:   ${mqttUrl}${broker ? ' (embedded Aedes; the broker authorizer admits each client, per-agent topics)' : ''}`,
    `  agent:    ${agent.agentId} on "${agent.reader}"${vpcd ? ' (virtual CardOS card through pcscd + vpcd)' : reader ? '' : ' (in-process virtual CardOS card)'}`,
    `  console:  ${agent.consoleLink}   (PIN entry at the station; or: npx cardfleet-agent prompt --state ${stateDirectory})`,
    `  tokens:   (also in ${join(dataDir, 'local.json')})`,
    `    admin:    ${tokens.admin}`,
    `    admin 2:  ${tokens.admin2}   (approves what the first admin pushed)`,
    `    operator: ${tokens.operator}   (office "local")`,
    `    auditor:  ${tokens.auditor}`,
    `  try:      npm run demo`,
    `            export CARDFLEET_API_URL=${cloud.url} CARDFLEET_TOKEN=${tokens.admin}`,
    '',
  ].join('\n'),
);
const stop = async () => {
  await agent.stop();
  await vpcd?.close();
  await cloud.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

async function attachVirtualCard(address: string) {
  const link = attachToVpcd(
    loadCardProfile(resolve('examples/cards/cardos.json')),
    parseVpcdAddress(address),
  );
  await link.connected;
  return link;
}

/** `IDPrimePKCS1164.dll=/usr/lib/libIDPrimePKCS11.so,idoPKCS.dll=/usr/lib/libidop11.so` */
function parseModules(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split(',').map((pair) => {
      const [dll, path] = pair.split('=');
      if (!dll || !path) throw new Error(`CARDFLEET_PKCS11_MODULES: "${pair}" is not DLL=path`);
      return [dll.trim(), path.trim()];
    }),
  );
}
