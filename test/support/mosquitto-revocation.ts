import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Revocation on a test's own Mosquitto (test/support/mosquitto.ts), the rig's stand-in
 * for what the IoT Core custom authorizer does in AWS: the agent's user is removed from
 * the broker's password file and the broker is told to reload it (SIGHUP, mosquitto(8)
 * "Signals"). Measured on the rig's Mosquitto 2.0.11 (docs/security.md, "Revocation"):
 * the reload disconnects a connected client of that user at once (about 0.1 s; MQTT
 * 3.1.1 has no DISCONNECT from the broker, the socket is closed) without publishing its
 * last will, other users keep their connections, and the next CONNECT with the removed
 * user's password is answered CONNACK 5, "not authorized"
 * (`test/broker/mosquitto-revocation.test.ts`).
 *
 * startMosquitto does not hand out its files or its process, so the broker is found by
 * its port among this test process's own children: its command line names its
 * configuration, which names its password file.
 */
export function revokeOnMosquitto(broker: { port: number }, user: string): void {
  const { pid, passwordFile } = ownMosquitto(broker.port);
  execFileSync('mosquitto_passwd', ['-D', passwordFile, user]);
  process.kill(pid, 'SIGHUP');
}

function ownMosquitto(port: number): { pid: number; passwordFile: string } {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
    const ppid = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== process.pid) continue;
    const args = (readText(`/proc/${entry}/cmdline`) ?? '').split('\0');
    if (!args[0]?.endsWith('mosquitto')) continue;
    const config = args[args.indexOf('-c') + 1];
    const lines = (config ? (readText(config) ?? '') : '').split('\n');
    if (!lines.includes(`listener ${port} 127.0.0.1`)) continue;
    const passwordFile = lines
      .find((line) => line.startsWith('password_file '))
      ?.slice('password_file '.length);
    if (!passwordFile) throw new Error(`the Mosquitto on port ${port} authenticates nobody`);
    return { pid: Number(entry), passwordFile };
  }
  throw new Error(`no Mosquitto of this test process listens on port ${port}`);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
