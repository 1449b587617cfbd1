import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectAsync } from 'mqtt';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { waitForEmptyReader } from '../support/empty-reader';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

describe('npm start and npm run demo', () => {
  let started: ChildProcess | undefined;
  afterAll(async () => {
    if (started && started.exitCode === null) {
      started.kill('SIGINT');
      await new Promise((r) => started?.once('exit', r));
    }
  });

  const startAndDemo = async (extra: Record<string, string> = {}) => {
    const env = {
      ...process.env,
      CARDFLEET_DATA_DIR: mkdtempSync(join(tmpdir(), 'cardfleet-start-')),
      PORT: '0',
      ...extra,
    };
    started = spawn(tsx, ['scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      started?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('cardfleet is running')) resolve();
      });
      started?.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
    });
    expect(output).toMatch(/API: +http:\/\/127\.0\.0\.1:\d+/);
    for (const role of ['admin', 'admin 2', 'operator', 'auditor'])
      expect(output).toMatch(new RegExp(`${role}: +ey`));
    expect(output).toContain('embedded Aedes');
    const demo = await promisify(execFile)(tsx, ['scripts/demo.ts'], { cwd: root, env });
    // The release flow: pushed by one admin, approved by the other, released to the office.
    expect(demo.stdout).toMatch(/^pushed: +read-version v1 by the first admin/m);
    expect(demo.stdout).toMatch(/^approved: by the second admin/m);
    expect(demo.stdout).toMatch(/^released: to office "local"/m);
    // A short summary for a person: what ran where, the outcome, response codes, license, audit.
    expect(demo.stdout).toMatch(/^ran read-version v1 on agent-local-1, reader "[^"]+".*: SUCCEEDED$/m);
    expect(demo.stdout).toMatch(/^response codes: Application_1 9000,9000$/m);
    expect(demo.stdout).toMatch(/^license: not checked by this encoding$/m);
    expect(demo.stdout).toMatch(/^audit chain: OK \(audit log intact: /m);
    const document = await promisify(execFile)(tsx, ['scripts/demo.ts', '--json'], { cwd: root, env });
    expect(JSON.parse(document.stdout.slice(document.stdout.indexOf('{')))).toMatchObject({
      state: 'SUCCEEDED',
      agentId: 'agent-local-1',
    });
    // A PIN line answered from a terminal with `cardfleet-agent prompt` (stdin piped:
    // transport PIN, new PIN, confirmation), while `cardfleet jobs run --wait` waits.
    expect(output).toMatch(/station: +http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/);
    // One web console sign-in link per role, the token in the fragment only.
    for (const role of ['admin', 'admin2', 'operator', 'auditor'])
      expect(output).toMatch(new RegExp(`${role}: +http://127\\.0\\.0\\.1:\\d+/console/#token=[\\w.-]+`));
    const fields = join(env.CARDFLEET_DATA_DIR, 'fields.json');
    writeFileSync(fields, JSON.stringify({ PIN_LABEL: 'Signature PIN' }));
    const local = JSON.parse(readFileSync(join(env.CARDFLEET_DATA_DIR, 'local.json'), 'utf8'));
    const adminEnv = { ...env, CARDFLEET_API_URL: local.apiUrl, CARDFLEET_TOKEN: local.tokens.admin };
    await promisify(execFile)('node', ['cloud/bin/cardfleet.mjs', 'encodings', 'push', 'examples/set-pin'], {
      cwd: root,
      env: adminEnv,
    });
    const run = promisify(execFile)(
      'node',
      [
        'cloud/bin/cardfleet.mjs',
        'jobs',
        'run',
        '--agent',
        'agent-local-1',
        '--encoding',
        'set-pin',
        '--fields',
        fields,
        '--wait',
        '--json',
      ],
      { cwd: root, env: adminEnv },
    );
    const prompt = spawn(
      'node',
      [
        'edge-agent/bin/cardfleet-agent.mjs',
        'prompt',
        '--state',
        join(env.CARDFLEET_DATA_DIR, 'agent'),
        '--once',
      ],
      { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let asked = '';
    prompt.stderr?.on('data', (chunk: Buffer) => {
      asked += chunk.toString();
    });
    prompt.stdin?.end('000000\n271828\n271828\n');
    expect(await new Promise((r) => prompt.once('exit', r))).toBe(0);
    expect(asked).toContain('Signature PIN');
    expect(asked).not.toContain('271828');
    expect(JSON.parse((await run).stdout)).toMatchObject({ state: 'SUCCEEDED' });
    // The embedded broker is not open: a client without credentials is refused.
    const mqttUrl = /broker: +(mqtt:\/\/\S+)/.exec(output)?.[1] ?? '';
    expect(mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    await expect(connectAsync(mqttUrl, { reconnectPeriod: 0 })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    started.kill('SIGINT');
    expect(await new Promise((r) => started?.once('exit', r))).toBe(0);
    return output;
  };

  it('start the whole system with embedded parts and run the sample encoding through it', async () => {
    expect(await startAndDemo({ CARDFLEET_VPCD: 'off' })).toContain('in-process virtual CardOS card');
  });

  it('puts the virtual card into the vpcd reader when asked, and runs the demo through pcscd', async () => {
    const rig = inject('rig');
    await waitForEmptyReader(rig.readerNames[0]);
    const output = await startAndDemo({
      CARDFLEET_VPCD: `127.0.0.1:${rig.vpcdPorts[0]}`,
      CARDFLEET_READER: rig.readerNames[0],
    });
    expect(output).toContain(`on "${rig.readerNames[0]}" (virtual CardOS card through pcscd + vpcd)`);
    await waitForEmptyReader(rig.readerNames[0]); // the card left with npm start
  });

  it('uses the vpcd reader by itself when pcscd runs with it empty', async () => {
    const rig = inject('rig');
    await waitForEmptyReader(rig.readerNames[0]);
    const output = await startAndDemo();
    expect(output).toContain(`on "${rig.readerNames[0]}" (virtual CardOS card through pcscd + vpcd)`);
    await waitForEmptyReader(rig.readerNames[0]);
  });
});
