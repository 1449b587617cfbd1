import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../cloud/src/cli/main';

/**
 * `npm run demo` (with `npm start` running): pushes examples/read-version, runs it on
 * the local agent's card through the whole chain with the `cardfleet` CLI, and prints
 * the job's result.
 */
const dataDir = resolve(process.env.CARDFLEET_DATA_DIR ?? '.data');
const local = JSON.parse(readFileSync(join(dataDir, 'local.json'), 'utf8')) as {
  apiUrl: string;
  agentId: string;
  tokens: { admin: string };
};
const io = {
  env: { CARDFLEET_API_URL: local.apiUrl, CARDFLEET_TOKEN: local.tokens.admin },
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};
let code = await main(['encodings', 'push', resolve('examples/read-version')], io);
if (code === 0)
  code = await main(
    [
      'jobs',
      'run',
      '--agent',
      local.agentId,
      '--encoding',
      'read-version',
      '--wait',
      '--timeout',
      '60',
      '--json',
    ],
    io,
  );
process.exit(code);
