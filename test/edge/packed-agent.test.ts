import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeTokenModules, openTokenModule } from '../../edge-agent/src/tokens/pkcs11js-module';
import { slotByReaderName } from '../../edge-agent/src/tokens/reader-slots';
import { vendorModule } from '../support/vendor-module';

const root = join(import.meta.dirname, '../..');
const exec = promisify(execFile);
// `run --card` puts the virtual card in this in-process reader; the vendor module names
// the token's slot after it, as the Gemalto middleware names slots after PC/SC readers.
const READER = 'Virtual Reader 0';
// The Gemalto factory Card Manager Key: 24 zero bytes (examples/gemalto-pkcs11).
const FACTORY_CMK = '00'.repeat(24);
// Bytes above 0x7F: an unpatched pkcs11js takes credentials only as strings and refuses
// a Buffer ("Should be a String"), so this change needs the patch in the installed package.
const NEW_CMK = '80FF0011223344556677889900AABBCCDDEEFF0102030405';

/**
 * The environment of the npm and agent processes: none of the npm_* variables of the
 * `npm test` that may be running this file (they name the repository as the project),
 * but the same npm cache, so the install takes packages from it.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  if (process.env.npm_config_cache) env.npm_config_cache = process.env.npm_config_cache;
  return env;
}

describe('the packed agent (npm pack), installed outside the repository', () => {
  let dir: string;
  let app: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cardfleet-packed-'));
    app = join(dir, 'app');
    mkdirSync(app);
    // The bin rebuilds dist/ when a source changed; packing skips the prepack build so
    // that unit tests spawning the bin at the same time never see dist/ half-written.
    execFileSync(process.execPath, [join(root, 'edge-agent/bin/cardfleet-agent.mjs'), '--version'], {
      stdio: 'ignore',
    });
    const packed = JSON.parse(
      (
        await exec(
          'npm',
          ['pack', '-w', 'edge-agent', '--ignore-scripts', '--json', '--pack-destination', dir],
          {
            cwd: root,
            env: cleanEnv(),
          },
        )
      ).stdout,
    ) as { filename: string }[];
    writeFileSync(join(app, 'package.json'), '{ "name": "station", "private": true }\n');
    // pcsclite (optional, PC/SC) is left out: this test's reader is in-process, and one
    // native build less keeps the install short.
    await exec(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--omit=optional',
        join(dir, packed[0]?.filename ?? 'missing.tgz'),
      ],
      { cwd: app, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 },
    );
  }, 600_000);
  afterAll(() => {
    closeTokenModules();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is self-contained: built JavaScript, the shared package bundled, no TypeScript runner', () => {
    expect(relative(root, dir).startsWith('..')).toBe(true);
    const installed = join(app, 'node_modules/@cardfleet/edge-agent');
    expect(existsSync(join(installed, 'dist/bin/main.js'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/@cardfleet/shared'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['mqtt', 'pkcs11js']);
    expect(Object.keys(pkg.optionalDependencies)).toEqual(['pcsclite']);
    const binding = readFileSync(join(app, 'node_modules/pkcs11js/src/pkcs11.cpp'), 'utf8');
    expect(binding.includes('cardfleet patch'), 'pkcs11js patched by the postinstall').toBe(true);
    const version = execFileSync(join(app, 'node_modules/.bin/cardfleet-agent'), ['--version'], {
      encoding: 'utf8',
      env: cleanEnv(),
    });
    expect(version).toBe(`cardfleet-agent ${pkg.version}\n`);
  });

  it('changes a Card Manager Key to binary bytes through the vendor-behaviour PKCS#11 module', async () => {
    const vendor = vendorModule([{ reader: READER, main: 'packed-0', initialiseMain: false }]);
    // The card leaves the factory with its binary key, set through plain SoftHSM before
    // the vendor module maps the token (as test/tokens/personalisation-e2e.test.ts does).
    const softhsm = openTokenModule(inject('rig').softhsmModule);
    const free = softhsm.slots(true).find((s) => !softhsm.tokenInfo(s.id).flags.tokenInitialized)?.id ?? '';
    softhsm.initToken(free, Buffer.from(FACTORY_CMK, 'hex'), 'packed-0');
    closeTokenModules();
    writeFileSync(
      join(dir, 'agent.json'),
      JSON.stringify({ pkcs11Modules: { 'IDPrimePKCS11.dll': vendor.module } }),
    );
    writeFileSync(
      join(dir, 'change-cmk.ini'),
      [
        'ApplicationList=ChangeCmk',
        '[ChangeCmk]',
        'PKCS11Library=IDPrimePKCS11.dll',
        `CardManagerKey=${FACTORY_CMK}`,
        `NewCardManagerKey=${NEW_CMK}`,
        '',
      ].join('\n'),
    );
    const run = await exec(
      join(app, 'node_modules/.bin/cardfleet-agent'),
      [
        'run',
        'change-cmk.ini',
        '--card',
        join(root, 'examples/cards/cardos.json'),
        '--config',
        'agent.json',
        '--json',
      ],
      { cwd: dir, env: cleanEnv() },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'SUCCEEDED' });
    expect(result.applications[0].steps).toEqual([{ step: 'ChangeCardManagerKey', status: 'DONE' }]);
    // From outside the installed package: the token's SO credential is now the new key,
    // byte for byte, and the old one is refused.
    const module = openTokenModule(vendor.module);
    const session = module.openSession(slotByReaderName(module, READER, 'main'), true);
    expect(() => session.login('so', Buffer.from(FACTORY_CMK, 'hex'))).toThrow(
      expect.objectContaining({ code: 'PIN_INCORRECT' }),
    );
    session.login('so', Buffer.from(NEW_CMK, 'hex'));
    session.logout();
    session.close();
    expect(vendor.calls().filter((call) => call.startsWith('C_SetPIN'))).toHaveLength(1);
  });
});
