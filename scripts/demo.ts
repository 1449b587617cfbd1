import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../cloud/src/cli/main';
import { reasonLines } from '../cloud/src/cli/progress-failure';
import { type DemoJob, demoSummary } from './demo-summary';

/**
 * `npm run demo` (with `npm start` running): pushes examples/read-version, runs it on
 * the local agent's card through the whole chain with the `cardfleet` CLI, checks the
 * audit chain and prints a short summary — `npm run demo -- --json` prints the job's
 * whole document instead.
 */
const json = process.argv.includes('--json');
const dataDir = resolve(process.env.CARDFLEET_DATA_DIR ?? '.data');
const local = JSON.parse(readFileSync(join(dataDir, 'local.json'), 'utf8')) as {
  apiUrl: string;
  agentId: string;
  tokens: { admin: string };
};
const env = { CARDFLEET_API_URL: local.apiUrl, CARDFLEET_TOKEN: local.tokens.admin };
const io = {
  env,
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};
/** A CLI call whose output the demo reads instead of printing. */
async function captured(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, {
    ...io,
    stdout: (text) => {
      out += text;
    },
  });
  return { code, out };
}

let code = await main(['encodings', 'push', resolve('examples/read-version')], io);
if (code === 0) {
  const run = ['jobs', 'run', '--agent', local.agentId, '--encoding', 'read-version'];
  const ran = await captured([...run, '--wait', '--timeout', '60', '--json']);
  code = ran.code;
  if (json) process.stdout.write(ran.out);
  else if (ran.out.trim().startsWith('{')) {
    const job = JSON.parse(ran.out) as DemoJob;
    const verified = await captured(['audit', 'verify']);
    process.stdout.write(
      demoSummary(job, reasonLines(job as Parameters<typeof reasonLines>[0]), {
        ok: verified.code === 0,
        line: verified.out.split('\n')[0] ?? '',
      }),
    );
    if (verified.code !== 0 && code === 0) code = 1;
  }
}
process.exit(code);
