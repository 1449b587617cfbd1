import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emptyVpcdReader } from '../edge-agent/src/virtual-card/vpcd-detect';
import { startLocalSystem } from './local-system';

/**
 * `npm start`: the whole system on one machine (scripts/local-system.ts) — an embedded
 * MQTT broker (Aedes, or MQTT_URL), the cloud on dynalite (data in .data/), and one
 * enrolled edge agent with a virtual CardOS card (or CARDFLEET_READER with pcscd). Writes
 * .data/local.json (URL, tokens) for `npm run demo` and the admin CLI.
 */
const dataDir = resolve(process.env.CARDFLEET_DATA_DIR ?? '.data');
// CARDFLEET_VPCD=host:port: the virtual card goes into pcscd's vpcd reader instead, and
// the agent reaches it through PC/SC like a real card (reader: CARDFLEET_READER or
// "Virtual PCD 00 00").
// Unset: used when pcscd runs with an empty vpcd reader; "off": always in-process.
const vpcdAddress =
  process.env.CARDFLEET_VPCD === 'off'
    ? undefined
    : (process.env.CARDFLEET_VPCD ??
      (!process.env.CARDFLEET_READER && (await emptyVpcdReader()) ? '127.0.0.1:35963' : undefined));
const system = await startLocalSystem({
  dataDir,
  port: Number(process.env.PORT ?? 8787),
  ...(process.env.MQTT_URL ? { mqttUrl: process.env.MQTT_URL } : {}),
  ...(process.env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
  ...(vpcdAddress ? { vpcd: vpcdAddress } : {}),
  ...(process.env.CARDFLEET_READER ? { reader: process.env.CARDFLEET_READER } : {}),
  ...(process.env.CARDFLEET_PKCS11_MODULES
    ? { pkcs11Modules: parseModules(process.env.CARDFLEET_PKCS11_MODULES) }
    : {}),
});
const { cloud, agent, mqttUrl, tokens, consoleLinks, vpcd, stateDirectory } = system;
const broker = cloud.broker;
const reader = process.env.CARDFLEET_READER;
const agentId = agent.agentId;
writeFileSync(
  join(dataDir, 'local.json'),
  JSON.stringify(
    { apiUrl: cloud.url, mqttUrl, agentId, consoleUrl: agent.consoleLink, consoleLinks, tokens },
    null,
    2,
  ),
  { mode: 0o600 },
);
process.stdout.write(
  [
    `cardfleet is running`,
    `  API:      ${cloud.url}   (OpenAPI at ${cloud.url}/openapi.json)`,
    `  broker:   ${mqttUrl}${broker ? ' (embedded Aedes; the broker authorizer admits each client, per-agent topics)' : ''}`,
    `  agent:    ${agent.agentId} on "${agent.reader}"${vpcd ? ' (virtual CardOS card through pcscd + vpcd)' : reader ? '' : ' (in-process virtual CardOS card)'}`,
    `  station:  ${agent.consoleLink}   (PIN entry at the station; or: npx cardfleet-agent prompt --state ${stateDirectory})`,
    `  web console (docs/console.md), a sign-in link per role; the token stays in the fragment:`,
    ...Object.entries(consoleLinks).map(([role, link]) => `    ${`${role}:`.padEnd(9)} ${link}`),
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
  await system.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

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
