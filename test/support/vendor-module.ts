import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { privateSoftHsm } from './softhsm';

/**
 * The vendor-behaviour PKCS#11 module for one test file: SoftHSM tokens for each card
 * (main: SO PIN 12345678, user PIN 1234; signature slot: 000000/000000 as the Gemalto
 * seed's factory default), the module's config and its call log.
 */
export interface VendorCard {
  reader: string;
  main: string;
  signature?: string;
  /** Leave the main token to the test (e.g. to give it a binary factory CMK). */
  initialiseMain?: false;
}

export function vendorModule(cards: VendorCard[], options: { objectBudget?: number; today?: string } = {}) {
  const rig = inject('rig');
  const tokens = cards.flatMap((card) => [
    ...(card.initialiseMain === false ? [] : [{ label: card.main, soPin: '12345678', userPin: '1234' }]),
    ...(card.signature ? [{ label: card.signature, soPin: '000000', userPin: '000000' }] : []),
  ]);
  const hsm = privateSoftHsm(tokens);
  const dir = join(hsm.conf, '..');
  const state = join(dir, 'vendor-state');
  mkdirSync(state, { recursive: true });
  const log = join(dir, 'vendor-calls.log');
  const batch = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../examples/cards/batch.json'), 'utf8'),
  ) as { licenseKey: string };
  const conf = join(dir, 'vendor.conf');
  writeFileSync(
    conf,
    [
      `softhsm=${rig.softhsmModule}`,
      `log=${log}`,
      `state=${state}`,
      `license_key=${batch.licenseKey}`,
      `object_budget=${options.objectBudget ?? 1000}`,
      'user_tries=3',
      'so_tries=5',
      'sign_tries=3',
      ...(options.today ? [`today=${options.today}`] : []),
      ...cards.map((c) => `card=${c.reader}|${c.main}|${c.signature ?? '-'}`),
    ].join('\n'),
  );
  process.env.CARDFLEET_VENDOR_CONF = conf;
  return {
    module: rig.vendorModule,
    conf,
    licenseKey: batch.licenseKey,
    calls: (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    /** pkcs11-tool (OpenSC) against the module, for independent checks. */
    pkcs11Tool: (...args: string[]) =>
      execFileSync('pkcs11-tool', ['--module', rig.vendorModule, ...args], {
        env: process.env,
        encoding: 'utf8',
      }),
  };
}
