import { startLocalCloud } from './start-local-cloud';

/** `npm run cloud`: the API on this machine, with a token for each role printed. */
const local = await startLocalCloud({ port: Number(process.env.PORT ?? 8787) });
const token = (role: 'admin' | 'operator' | 'auditor', office?: string) =>
  local.issuer.issue({ sub: `local-${role}`, role, ...(office ? { office } : {}) });
process.stdout.write(
  [
    `cardfleet API: ${local.url}   (data in .data/)`,
    `export CARDFLEET_API_URL=${local.url}`,
    `admin:    export CARDFLEET_TOKEN=${await token('admin')}`,
    `operator: ${await token('operator', 'berlin')}   (office berlin)`,
    `auditor:  ${await token('auditor')}`,
    '',
  ].join('\n'),
);
const stop = async () => {
  await local.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
