import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const unit = join(import.meta.dirname, '../../examples/systemd/cardfleet-agent.service');

describe('the agent systemd unit (examples/systemd)', () => {
  it('passes systemd-analyze verify without a single warning', () => {
    // systemd-analyze exits 0 even on unknown keys; the warnings go to stderr.
    const run = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8', cwd: '/' });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toBe('');
  });

  it('runs the daemon with its config, restarts the daemon only on failure and keeps the state private', () => {
    const text = readFileSync(unit, 'utf8');
    expect(text).toMatch(/^ExecStart=.*cardfleet-agent\.mjs start --config \/etc\/cardfleet\/agent\.json$/m);
    // The installed package's bin (built JavaScript), not a repository checkout.
    expect(text).toMatch(/^ExecStart=.*\/node_modules\/@cardfleet\/edge-agent\/bin\/cardfleet-agent\.mjs /m);
    expect(text).toMatch(/^Restart=on-failure$/m);
    expect(text).toMatch(/^StateDirectoryMode=0700$/m);
    expect(text).toMatch(/^UMask=0077$/m);
  });
});
