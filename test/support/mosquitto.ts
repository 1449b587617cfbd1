import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mosquittoAcl, topics } from '@cardfleet/shared';
import { freePort, untilListening } from './ports';

/**
 * A Mosquitto of a test's own (the rig's one is shared by every test file), which can be
 * stopped and started again on the same port. With `users`, clients authenticate from a
 * password file, the shared broker policy is its acl_file, and the client id is the user
 * name whatever the client sends (`use_username_as_clientid`: Mosquitto has no hook to
 * refuse a client id, so one user can only ever take over its own session — every
 * client needs its own user; docs/messaging.md, "Broker identity"). No persistence: a restart
 * loses every session, the hardest case for the clients. Packets are limited as IoT
 * Core limits messages.
 */
export async function startMosquitto(options: { users?: Readonly<Record<string, string>> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cardfleet-mosquitto-'));
  const port = await freePort();
  // IoT Core's limit: a message over 128 KB (plus the packet's own header) is refused
  // and its sender disconnected, so a test through this broker proves messages fit.
  const lines = [`listener ${port} 127.0.0.1`, 'persistence false', `max_packet_size ${128 * 1024 + 1024}`];
  if (options.users) {
    const passwords = join(dir, 'passwords');
    for (const [i, [user, password]] of Object.entries(options.users).entries())
      execFileSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', passwords, user, password]);
    writeFileSync(join(dir, 'acl'), mosquittoAcl(topics, Object.keys(options.users)));
    // Mosquitto started as root drops to its own user: it must be able to read these.
    chmodSync(passwords, 0o644);
    lines.push(
      'allow_anonymous false',
      `password_file ${passwords}`,
      `acl_file ${join(dir, 'acl')}`,
      'use_username_as_clientid true',
    );
  } else {
    lines.push('allow_anonymous true');
  }
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
  let broker: ChildProcess | undefined;
  const start = async () => {
    broker = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    // Never outlive the test process, even when a failing test skips its cleanup.
    const child = broker;
    process.once('exit', () => child.kill('SIGTERM'));
    await untilListening(port);
  };
  const stop = async () => {
    const running = broker;
    broker = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await exited;
    await untilListening(port, false);
  };
  /**
   * Revocation on Mosquitto, the rig's stand-in for what the IoT Core custom authorizer
   * does in AWS: the user leaves the password file and the broker reloads it (SIGHUP,
   * mosquitto(8) "Signals"). Measured on the rig's Mosquitto 2.0.11 (docs/security.md,
   * "Revocation"): the reload closes that user's connection at once (about 0.1 s) without
   * publishing its last will, other users stay connected, and the user's next CONNECT is
   * answered CONNACK 5, "not authorized" (test/broker/mosquitto-revocation.test.ts).
   */
  const revoke = (user: string) => {
    if (!options.users) throw new Error('this Mosquitto authenticates nobody');
    execFileSync('mosquitto_passwd', ['-D', join(dir, 'passwords'), user]);
    broker?.kill('SIGHUP');
  };
  await start();
  return { url: `mqtt://127.0.0.1:${port}`, port, start, stop, revoke };
}
