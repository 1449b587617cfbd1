import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import type { PinEntry, Prompter } from '../../edge-agent/src/runner/prompter';
import { AGENT, startSystem } from '../support/e2e-system';

/**
 * `cardfleet jobs run --wait` through the local stack (API over dynalite, broker, agent
 * daemon, virtual CardOS card in a vpcd reader), as a person runs it: the installed
 * command in its own process, stdout piped (plain lines) or on a pseudo-terminal from
 * util-linux `script` (one progress line rewritten in place).
 */
const root = join(import.meta.dirname, '../..');
const CLI = join(root, 'cloud/bin/cardfleet.mjs');
const NEW_PIN = '482913';
const TRANSPORT = '000000'; // the virtual CardOS card's transport PIN (reference 83)

/** PIN requests wait until the test answers them (the operator at the station). */
function heldPrompter() {
  const waiting: ((entries: PinEntry[]) => void)[] = [];
  const prompter: Prompter = {
    askPins: (_application, requests) =>
      new Promise((resolve) => {
        waiting.push(() =>
          resolve(requests.map(() => ({ transport: TRANSPORT, pin: NEW_PIN, confirmation: NEW_PIN }))),
        );
      }),
  };
  return { prompter, answer: () => waiting.shift()?.([]), asked: () => waiting.length };
}

describe('cardfleet jobs run --wait through the local stack', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  const pins = heldPrompter();
  beforeAll(async () => {
    system = await startSystem({
      broker: 'aedes',
      encodings: ['set-pin'],
      agent: { prompter: pins.prompter },
    });
  });
  afterAll(() => system.close());

  /** Runs the CLI (optionally under a pseudo-terminal); the job it creates is published by the test. */
  function cli(args: string[], tty = false) {
    const env = {
      ...process.env,
      CARDFLEET_API_URL: system.cloud.base,
      CARDFLEET_TOKEN: system.cloud.tokens.operatorBerlin,
    };
    const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const child: ChildProcess = tty
      ? spawn('script', ['-qec', quoted, '/dev/null'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn(process.execPath, [CLI, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { out: () => stdout, err: () => stderr, exited };
  }

  /** The job the CLI just created (QUEUED), published to the agent as the cloud's dispatcher would. */
  async function publishCreated(): Promise<string> {
    let jobId = '';
    await system.until('the CLI created its job', async () => {
      const open = await system.cloud.cloud.jobs.listOpen('QUEUED');
      jobId = open[0]?.jobId ?? '';
      return jobId !== '';
    });
    await publishJob(system.publication(), jobId);
    return jobId;
  }

  const plainLines = (stdout: string) => stdout.split('\n').filter((line) => line !== '');

  it('piped: an APDU job prints its states and APDU n of m as plain lines, each once', async () => {
    const held = system.holdNextAnswer();
    const run = cli([
      'jobs',
      'run',
      '--agent',
      AGENT,
      '--encoding',
      'read-version',
      '--wait',
      '--timeout',
      '60',
    ]);
    const jobId = await publishCreated();
    // The card holds its first answer: the job sits at APDU 0 of 2 until released.
    await system.until('the progress line', () => run.out().includes('APDU 0 of 2'));
    held.release();
    expect(await run.exited).toBe(0);
    const lines = plainLines(run.out());
    expect(lines).toContain(`job ${jobId} IN_PROGRESS`);
    expect(lines).toContain(`job ${jobId} Application_1 (application 1 of 1): APDU 0 of 2`);
    expect(lines.at(-1)).toBe(`job ${jobId} SUCCEEDED`);
    expect(new Set(lines).size).toBe(lines.length);
    expect(run.out()).not.toContain('\u001b');
  });

  it('piped: a PIN job says it waits for PIN at the station, and no PIN is printed', async () => {
    const fields = join(mkdtempSync(join(tmpdir(), 'cardfleet-cli-')), 'fields.json');
    writeFileSync(fields, JSON.stringify({ PIN_LABEL: 'Signature PIN' }));
    const run = cli([
      'jobs',
      'run',
      '--agent',
      AGENT,
      '--encoding',
      'set-pin',
      '--fields',
      fields,
      '--wait',
      '--timeout',
      '60',
    ]);
    const jobId = await publishCreated();
    await system.until('the PIN wait on the CLI', () => run.out().includes('waiting for PIN at the station'));
    expect(pins.asked()).toBe(1);
    pins.answer();
    expect(await run.exited).toBe(0);
    const lines = plainLines(run.out());
    expect(lines).toContain(
      `job ${jobId} Application_1 (application 1 of 1): waiting for PIN at the station`,
    );
    expect(lines.at(-1)).toBe(`job ${jobId} SUCCEEDED`);
    expect(new Set(lines).size).toBe(lines.length);
    expect(run.out() + run.err()).not.toContain(NEW_PIN);
    expect(run.out() + run.err()).not.toContain(TRANSPORT);
  });

  it('on a terminal (util-linux script): one progress line rewritten in place, the end on a clean line', async () => {
    const held = system.holdNextAnswer();
    const run = cli(
      ['jobs', 'run', '--agent', AGENT, '--encoding', 'read-version', '--wait', '--timeout', '60'],
      true,
    );
    const jobId = await publishCreated();
    await system.until('the progress line', () => run.out().includes('APDU 0 of 2'));
    held.release();
    expect(await run.exited).toBe(0);
    // CR, then CSI 2 K (erase line) before each redraw; the terminal turns \n into \r\n.
    expect(run.out()).toContain(`\r\u001b[2Kjob ${jobId} Application_1 (application 1 of 1): APDU 0 of 2`);
    expect(run.out()).toMatch(new RegExp(`\\r\\u001b\\[2Kjob ${jobId} SUCCEEDED\\r?\\n`));
  });
});
