import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const bin = join(root, 'edge-agent/bin/cardfleet-agent.mjs');

// A module-resolution hook that makes the native bindings unresolvable, as on a machine
// where pkcs11js (or pcsclite) is not built: every import of them fails.
const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'pkcs11js' || specifier === 'pcsclite') {
    throw Object.assign(new Error('Cannot find package ' + specifier + ' (simulated)'), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
const withoutBindings = ['--import', `data:text/javascript,${encodeURIComponent(register)}`];

function agent(...args: string[]) {
  const result = spawnSync(process.execPath, [...withoutBindings, bin, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each case starts the CLI (tsx) in a new process: about 1-2 s apiece.
const SPAWNS = 30_000;

describe('cardfleet-agent where the native bindings cannot load', () => {
  it(
    'still validates, compiles and parses ATRs',
    () => {
      expect(agent('validate', 'examples/gemalto-pkcs11')).toMatchObject({ code: 0, stderr: '' });
      expect(agent('compile', 'examples/read-version/read_version.apdu')).toMatchObject({
        code: 0,
        stderr: '',
      });
      expect(agent('atr', '3B8180018080')).toMatchObject({ code: 0, stderr: '' });
    },
    SPAWNS,
  );

  it(
    'really cannot load them (the simulation holds)',
    () => {
      const result = agent('tokens', '--module', '/nonexistent.so');
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('Cannot find package pkcs11js (simulated)');
    },
    SPAWNS,
  );

  it(
    'answers a bundle holding a 10 MB bad script with one size error and exit 2',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'cardfleet-huge-'));
      writeFileSync(join(dir, 'enc.ini'), 'ApplicationList=A\n[A]\nApduFile=a.apdu\n');
      writeFileSync(join(dir, 'a.apdu'), 'RAW XYZ\n'.repeat(1_300_000));
      const result = agent('validate', dir);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain('a.apdu:1:1: a.apdu holds 10400000 bytes');
      expect(result.stderr).not.toContain('RangeError');
    },
    SPAWNS,
  );
});
