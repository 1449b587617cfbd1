import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listening } from '../support/ports';

/**
 * The benchmarks' share of the rig: a running pcscd with the vpcd readers (started
 * here when none runs, stopped again by `stop()`). `npm run bench` runs
 * test/rig/prepare.sh first for packages and the quickack route.
 */
export interface BenchRig {
  reader: string;
  vpcdPort: number;
  stop(): Promise<void>;
}

export async function startBenchRig(): Promise<BenchRig> {
  let pcscd: ChildProcess | undefined;
  const deadline = Date.now() + 15_000;
  while (!(existsSync('/run/pcscd/pcscd.comm') && listening(35963))) {
    if (Date.now() > deadline) throw new Error('pcscd with vpcd did not come up');
    // (Re)start ours when none runs — a pcscd that was just stopped may still hold
    // its socket, and a new one then exits at once.
    if ((!pcscd || pcscd.exitCode !== null) && spawnSync('pgrep', ['-x', 'pcscd']).status !== 0) {
      pcscd = spawn('/usr/sbin/pcscd', ['--foreground'], { stdio: 'ignore' });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    reader: 'Virtual PCD 00 00',
    vpcdPort: 35963,
    async stop() {
      if (pcscd && pcscd.exitCode === null) {
        pcscd.kill('SIGTERM');
        await new Promise((r) => pcscd?.once('exit', r));
      }
    },
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * A virtual CardOS card in its own process, attached to vpcd (a real card is not inside
 * the agent: its work must not share the event loop of what is being measured).
 */
export async function startCardProcess(rig: BenchRig): Promise<{ stop(): Promise<void> }> {
  const root = join(import.meta.dirname, '../..');
  const card = spawn(
    process.execPath,
    [
      join(root, 'edge-agent/bin/cardfleet-agent.mjs'),
      'virtual-card',
      '--profile',
      join(root, 'examples/cards/cardos.json'),
      '--vpcd',
      `127.0.0.1:${rig.vpcdPort}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    card.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('attached') && resolve());
    card.once('exit', (code) => reject(new Error(`virtual card exited with ${code}`)));
  });
  return {
    async stop() {
      if (card.exitCode !== null) return;
      card.kill('SIGINT');
      await new Promise((r) => card.once('exit', r));
    },
  };
}

/** The value at quantile q (0..1) of the values, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}
