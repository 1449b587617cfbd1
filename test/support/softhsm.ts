import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/**
 * A private SoftHSM2 token directory for one test file. SoftHSM reads SOFTHSM2_CONF
 * when the module is initialised, so call this before opening the module; vitest
 * runs each test file in its own process.
 */
export function privateSoftHsm(tokens: { label: string; soPin: string; userPin: string }[]): {
  module: string;
  conf: string;
} {
  const rig = inject('rig');
  const dir = mkdtempSync(join(rig.softhsmConf, '..', 'hsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  process.env.SOFTHSM2_CONF = conf;
  for (const token of tokens) {
    execFileSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', token.label, '--so-pin', token.soPin, '--pin', token.userPin],
      { env: process.env, stdio: 'ignore' },
    );
  }
  return { module: rig.softhsmModule, conf };
}
