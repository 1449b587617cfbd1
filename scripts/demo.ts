import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../cloud/src/cli/main';
import { reasonLines } from '../cloud/src/cli/progress-failure';
import { type DemoJob, demoSummary } from './demo-summary';

/**
 * `npm run demo` (with `npm start` running) walks the release flow with the `cardfleet`
 * CLI (docs/releases.md): the first admin pushes examples/read-version (a draft), the
 * second admin approves it (four eyes), the first releases it to the agent's office, and
 * the office's operator runs it on the local agent's card through the whole chain. Then
 * it checks the audit chain and prints a short summary — `npm run demo -- --json` prints
 * the job's whole document instead. A version already approved or released (a second
 * demo) goes on from where it stands.
 */
const json = process.argv.includes('--json');
const dataDir = resolve(process.env.CARDFLEET_DATA_DIR ?? '.data');
const local = JSON.parse(readFileSync(join(dataDir, 'local.json'), 'utf8')) as {
  apiUrl: string;
  agentId: string;
  tokens: { admin: string; admin2: string; operator: string };
};
const OFFICE = 'local'; // the office `npm start` enrols its agent in
const as = (token: string) => ({ CARDFLEET_API_URL: local.apiUrl, CARDFLEET_TOKEN: token });
const io = {
  env: as(local.tokens.admin),
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};
/** A CLI call whose output the demo reads instead of printing. */
async function captured(argv: string[], env = io.env): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, {
    ...io,
    env,
    stdout: (text) => {
      out += text;
    },
  });
  return { code, out };
}

/** Push (first admin) → approve (second admin) → release to the office (first admin); the flow's lines. */
async function releaseFlow(): Promise<{ code: number; lines: string[] }> {
  const pushed = await captured(['encodings', 'push', resolve('examples/read-version'), '--json']);
  if (pushed.code !== 0) return { code: pushed.code, lines: [pushed.out] };
  const { version } = JSON.parse(pushed.out) as { version: number };
  const lifecycle = async () => {
    const answer = await fetch(`${local.apiUrl}/v1/encodings/read-version/versions/${version}/lifecycle`, {
      headers: { authorization: `Bearer ${local.tokens.admin}` },
    });
    return ((await answer.json()) as { status?: string }).status;
  };
  const lines = [`pushed:   read-version v${version} by the first admin (a draft)`];
  if ((await lifecycle()) === 'draft') {
    const approved = await captured(
      ['encodings', 'approve', 'read-version', String(version)],
      as(local.tokens.admin2),
    );
    if (approved.code !== 0) return { code: approved.code, lines: [...lines, approved.out] };
    lines.push(`approved: by the second admin (the uploader may not approve their own)`);
  }
  if ((await lifecycle()) === 'approved') {
    const released = await captured([
      'encodings',
      'release',
      'read-version',
      String(version),
      '--stages',
      OFFICE,
    ]);
    if (released.code !== 0) return { code: released.code, lines: [...lines, released.out] };
    lines.push(`released: to office "${OFFICE}" (halts on its own after too many failed cards)`);
  }
  return { code: 0, lines };
}

const flow = await releaseFlow();
let code = flow.code;
if (code === 0) {
  const run = ['jobs', 'run', '--agent', local.agentId, '--encoding', 'read-version'];
  const ran = await captured([...run, '--wait', '--timeout', '60', '--json'], as(local.tokens.operator));
  code = ran.code;
  if (json) process.stdout.write(ran.out);
  else if (ran.out.trim().startsWith('{')) {
    const job = JSON.parse(ran.out) as DemoJob;
    const verified = await captured(['audit', 'verify']);
    process.stdout.write(`${flow.lines.join('\n')}\n`);
    process.stdout.write(
      demoSummary(job, reasonLines(job as Parameters<typeof reasonLines>[0]), {
        ok: verified.code === 0,
        line: verified.out.split('\n')[0] ?? '',
      }),
    );
    if (verified.code !== 0 && code === 0) code = 1;
  } else process.stderr.write(ran.out);
} else process.stderr.write(`${flow.lines.join('\n')}\n`);
process.exit(code);
