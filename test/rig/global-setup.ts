import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, listening } from '../support/ports';

/**
 * Starts the long-running parts of the real test rig for one `vitest run` and stops
 * what it started (docs/test-rig.md): pcscd with the vpcd readers, a Mosquitto
 * broker on a free loopback port, and a SoftHSM2 token directory.
 * test/rig/prepare.sh has already installed the packages and set the quickack route.
 */
export interface RigInfo {
  mqttUrl: string;
  softhsmConf: string;
  softhsmModule: string;
  tokenLabel: string;
  tokenUserPin: string;
  vpcdPorts: [number, number];
  /** The vendor-behaviour PKCS#11 module built for this run (wraps SoftHSM2). */
  vendorModule: string;
  readerNames: [string, string];
}

declare module 'vitest' {
  export interface ProvidedContext {
    rig: RigInfo;
  }
}

const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const root = resolve(import.meta.dirname, '../..');
const rigDir = join(root, '.rig', `run-${process.pid}`);
const started: ChildProcess[] = [];

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`rig: ${what} did not come up within ${timeoutMs} ms`);
}

function pcscdRunning(): boolean {
  try {
    execFileSync('pgrep', ['-x', 'pcscd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function startDaemon(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code !== null && code !== 0)
      console.error(`rig: ${command} exited with ${code ?? signal}: ${stderr}`);
  });
  started.push(child);
  return child;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync(rigDir, { recursive: true });

  // pcscd: the readers are machine-wide; reuse a running pcscd, else start our own.
  const ownPcscd = !pcscdRunning();
  if (ownPcscd) {
    startDaemon('/usr/sbin/pcscd', ['--foreground']);
    await waitFor('pcscd', () => existsSync(PCSCD_SOCKET));
  }
  // vpcd listens once pcscd has loaded the driver.
  await waitFor('vpcd', () => listening(35963) && listening(35964));

  // Mosquitto on a free loopback port, no persistence: every run starts clean.
  const mqttPort = await freePort();
  const mosquittoConf = join(rigDir, 'mosquitto.conf');
  writeFileSync(mosquittoConf, `listener ${mqttPort} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  startDaemon('/usr/sbin/mosquitto', ['-c', mosquittoConf]);
  await waitFor('mosquitto', () => listening(mqttPort));

  // SoftHSM2: a private token directory and one initialised token.
  const tokenDir = join(rigDir, 'softhsm-tokens');
  mkdirSync(tokenDir, { recursive: true });
  const softhsmConf = join(rigDir, 'softhsm2.conf');
  writeFileSync(
    softhsmConf,
    `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  const tokenLabel = 'cardfleet-rig';
  const tokenUserPin = '1234';
  execFileSync(
    'softhsm2-util',
    ['--init-token', '--free', '--label', tokenLabel, '--pin', tokenUserPin, '--so-pin', '12345678'],
    { env: { ...process.env, SOFTHSM2_CONF: softhsmConf }, stdio: 'ignore' },
  );

  // The vendor-behaviour test module (test/vendor-module/): C, wrapping SoftHSM2.
  const vendorModule = join(rigDir, 'libcardfleet-vendor-pkcs11.so');
  execFileSync('gcc', [
    '-shared',
    '-fPIC',
    '-O2',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-I',
    join(root, 'node_modules/pkcs11js/includes'),
    '-o',
    vendorModule,
    join(root, 'test/vendor-module/vendor-pkcs11.c'),
    '-ldl',
    '-lcrypto',
  ]);

  project.provide('rig', {
    vendorModule,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    softhsmConf,
    softhsmModule: '/usr/lib/softhsm/libsofthsm2.so',
    tokenLabel,
    tokenUserPin,
    vpcdPorts: [35963, 35964],
    readerNames: ['Virtual PCD 00 00', 'Virtual PCD 00 01'],
  });

  return async () => {
    for (const child of started.reverse()) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
    // Tests may restart pcscd (fault tests); stop whichever pcscd runs if we own it.
    if (ownPcscd) spawnSync('pkill', ['-x', 'pcscd']);
    rmSync(rigDir, { recursive: true, force: true });
  };
}
