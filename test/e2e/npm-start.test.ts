import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
    expect(output).toContain('embedded Aedes');
    const demo = await promisify(execFile)(tsx, ['scripts/demo.ts'], { cwd: root, env });
    expect(demo.stdout).toContain('pushed read-version version 1');
    expect(JSON.parse(demo.stdout.slice(demo.stdout.indexOf('{')))).toMatchObject({
      state: 'SUCCEEDED',
      agentId: 'agent-local-1',
    });
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
    expect(await startAndDemo()).toContain('in-process virtual CardOS card');
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
});
