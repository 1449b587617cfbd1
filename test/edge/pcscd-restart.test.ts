import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { PcscliteReaders } from '../../edge-agent/src/readers/pcsclite-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { runEncoding } from '../../edge-agent/src/runner/job-runner';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { attachToVpcd, type VpcdLink } from '../../edge-agent/src/virtual-card/vpcd-link';
import { exampleBundle, examples } from '../support/bundles';
import { waitForEmptyReader } from '../support/empty-reader';
import { listening } from '../support/ports';
import { scriptedPrompter } from '../support/prompters';

const rig = inject('rig');

async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('pcscd restarted between two jobs', () => {
  // The restarted pcscd keeps serving the test files after this one; the rig's
  // teardown stops it with the rest.

  it('re-creates the pcsclite context and runs the next job without an agent restart', async () => {
    const readers = new PcscliteReaders({ recoverDelayMs: 200 });
    const bundle = exampleBundle('read-version');
    const card = () => loadCardProfile(join(examples, 'cards/cardos.json'));
    const present = async () =>
      (await readers.readers()).some((r) => r.name === rig.readerNames[0] && r.cardPresent);
    const job = () =>
      runEncoding({
        bundle,
        readers,
        reader: rig.readerNames[0],
        fields: {},
        clock: systemClock,
        prompter: scriptedPrompter([]),
        handlers: applicationHandlers(),
      });

    await waitForEmptyReader(rig.readerNames[0]);
    let link: VpcdLink = attachToVpcd(card(), { port: rig.vpcdPorts[0] });
    await link.connected;
    await until('card seen', present);
    expect((await job()).status).toBe('SUCCEEDED');

    spawnSync('pkill', ['-x', 'pcscd']);
    await until('pcscd gone', () => spawnSync('pgrep', ['-x', 'pcscd']).status !== 0);
    await link.closed;
    spawn('/usr/sbin/pcscd', ['--foreground'], { stdio: 'ignore', detached: true }).unref();
    await until('pcscd back', () => existsSync('/run/pcscd/pcscd.comm') && listening(rig.vpcdPorts[0]));

    link = attachToVpcd(card(), { port: rig.vpcdPorts[0] });
    await link.connected;
    await until('card seen again', present);
    const second = await job();
    expect(second.status).toBe('SUCCEEDED');
    expect(second.applications[0]?.responseCodes).toBe('9000,9000');
    await link.close();
    await readers.close();
    await waitForEmptyReader(rig.readerNames[0]);
  });
});
