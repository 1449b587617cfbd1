import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mosquittoAcl } from '@cardfleet/shared';
import { afterAll, beforeAll, describe } from 'vitest';
import { BROKER_USERS, brokerAclContract, passwordOf } from './broker-acl-contract';

/** Mosquitto with a password file and the ACL file rendered from the shared policy. */
describe('broker ACLs (Mosquitto password + acl_file)', () => {
  let broker: ChildProcess;
  let url = '';
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardfleet-mosquitto-'));
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const passwords = join(dir, 'passwords');
    for (const [i, user] of BROKER_USERS.entries()) {
      execFileSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', passwords, user, passwordOf(user)]);
    }
    writeFileSync(join(dir, 'acl'), mosquittoAcl());
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${passwords}\nacl_file ${join(dir, 'acl')}\npersistence false\n`,
    );
    // Mosquitto started as root drops to its own user: it must be able to read these.
    chmodSync(dir, 0o755);
    chmodSync(passwords, 0o644);
    broker = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    url = `mqtt://127.0.0.1:${port}`;
    // Listening? Read from /proc (a probe connection would show up in the broker's log).
    for (
      let i = 0;
      i < 100 &&
      !readFileSync('/proc/net/tcp', 'utf8').includes(
        `:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A`,
      );
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(() => {
    broker.kill('SIGTERM');
  });
  brokerAclContract(() => url);
});
