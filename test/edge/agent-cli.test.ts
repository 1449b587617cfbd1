import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { waitForEmptyReader } from '../support/empty-reader';

const root = join(import.meta.dirname, '../..');
const rig = inject('rig');
const exec = promisify(execFile);
// The bin directly (not through npx, whose wrapper does not pass SIGINT on).
const bin = join(root, 'edge-agent/bin/cardfleet-agent.mjs');
const agent = (...args: string[]) => exec(process.execPath, [bin, ...args], { cwd: root });

describe('cardfleet-agent on pcscd + vpcd', () => {
  let card: ChildProcess | undefined;
  afterEach(async () => {
    if (card && card.exitCode === null) {
      card.kill('SIGINT');
      await new Promise((r) => card?.once('exit', r));
    }
    await waitForEmptyReader(rig.readerNames[0]);
  });

  it('attaches a virtual card, lists it under its reader, runs an encoding on it, and detaches on SIGINT', async () => {
    await waitForEmptyReader(rig.readerNames[0]);
    card = spawn(
      process.execPath,
      [
        bin,
        'virtual-card',
        '--profile',
        'examples/cards/cardos.json',
        '--vpcd',
        `127.0.0.1:${rig.vpcdPorts[0]}`,
      ],
      { cwd: root },
    );
    await new Promise<void>((resolve, reject) => {
      card?.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('attached') && resolve());
      card?.once('exit', (code) => reject(new Error(`virtual-card exited with ${code}`)));
    });
    let listed: { name: string; cardPresent: boolean; cardNames: string[] }[] = [];
    for (let i = 0; i < 40 && !listed.find((r) => r.name === rig.readerNames[0])?.cardPresent; i++) {
      listed = JSON.parse((await agent('readers', '--json')).stdout);
    }
    expect(listed.find((r) => r.name === rig.readerNames[0])).toMatchObject({
      cardPresent: true,
      atr: '3BD218008131FE58C90217',
      cardNames: expect.arrayContaining(['Atos CardOS 5.3 (PKI)']),
    });
    const run = await agent('run', 'examples/read-version', '--reader', rig.readerNames[0], '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'SUCCEEDED',
      applications: [{ outputs: { CARDOS_VERSION: 'C903' } }],
    });
    card.kill('SIGINT');
    expect(await new Promise((r) => card?.once('exit', r))).toBe(0);
  });
});
