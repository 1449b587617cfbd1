import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const root = join(import.meta.dirname, '../../..');
const example = (path: string) => join(root, 'examples', path);

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cardfleet-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('cardfleet-agent validate', () => {
  it('accepts every example bundle', async () => {
    for (const dir of [
      'read-version',
      'read-serial',
      'write-ef-gdo',
      'change-key',
      'gemalto-pkcs11',
      'license',
    ]) {
      const result = await run('validate', example(dir));
      expect(result, dir).toMatchObject({ code: 0, stderr: '' });
    }
  });

  it('prints one file:line:col line per problem and exits 2', async () => {
    const dir = scratch({
      'e.ini': 'ApplicationList=A\n[A]\nApduFile=s.apdu\n',
      's.apdu': 'RAW:00CA01\nDYN:00A4;;\n',
    });
    const result = await run('validate', dir);
    expect(result.code).toBe(2);
    expect(result.stdout.trim().split('\n')).toEqual([
      's.apdu:1:5: an APDU needs CLA INS P1 P2 [SCRIPT_APDU_TOO_SHORT]',
      's.apdu:2:5: a DYN header is CLA INS P1 P2 (4 bytes), got 2 [SCRIPT_DYN_HEADER]',
    ]);
  });

  it('takes a lone encoding file with the scripts beside it, and reports --json', async () => {
    const result = await run('validate', example('change-key/encoding.ini'), '--json');
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ valid: true, problems: [], secretFields: ['ADMIN_KEY', 'NEW_KEY'] });
  });

  it('warns about legacy keys on stderr but stays valid', async () => {
    const dir = scratch({
      'e.ini': 'ApplicationList=A\n[A]\nCardOSApduFile=s.apdu\n',
      's.apdu': 'RAW:00CA018202\n',
    });
    const result = await run('validate', dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('e.ini:3:1: warning: CardOSApduFile is deprecated: use ApduFile');
  });

  it('names a missing path clearly', async () => {
    expect(await run('validate', '/nonexistent/x.ini')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('[BUNDLE_NOT_FOUND]'),
    });
  });
});

describe('cardfleet-agent compile', () => {
  it('prints the C-APDUs, PIN and CR symbolically, secrets as **', async () => {
    const dir = scratch({
      'f.json': JSON.stringify({ NEW_PUK: '3132333435363738', NAME: 'PIN' }),
      's.apdu':
        'PIN[NEW_PIN]:NAME;reg_exp([0-9]{4,8})\nDYN:002C0001;NEW_PUK+NEW_PIN\nRAW:00CA018202\nDYN:002C0001;NEW_PUK\n',
    });
    const result = await run(
      'compile',
      join(dir, 's.apdu'),
      '--fields',
      join(dir, 'f.json'),
      '--secret',
      'NEW_PUK',
    );
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'PIN NEW_PIN (entered by the operator: NAME, rule ^(?:[0-9]{4,8})$; new PIN + confirmation)',
      '002C0001 Lc {NEW_PUK:**} {NEW_PIN:**}',
      '00CA018202',
      `002C000108${'**'.repeat(8)}`,
      '',
    ]);
    expect(result.stdout).not.toContain('3132');
  });

  it('reports script errors like validate and exits 2', async () => {
    const dir = scratch({ 's.apdu': 'RAW:00CA01ZZ\n' });
    const result = await run('compile', join(dir, 's.apdu'));
    expect(result).toMatchObject({
      code: 2,
      stdout: "s.apdu:1:11: APDU: 'Z' is not a hex digit [SCRIPT_BAD_HEX]\n",
    });
  });

  it('refuses a fields file that is not an object of strings', async () => {
    const dir = scratch({ 's.apdu': 'RAW:00CA018202\n', 'f.json': '{"A": 1}' });
    expect(await run('compile', join(dir, 's.apdu'), '--fields', join(dir, 'f.json'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('[FIELDS_BAD_JSON]'),
    });
  });
});

describe('cardfleet-agent atr', () => {
  it('prints the analysis and the matching card names', async () => {
    const result = await run('atr', '3B FA 13 00 FF 81 31 80 45 00 31 C1 73 C0 01 00 00 90 00 B1', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({ protocols: [1], fi: 372, di: 4, tck: { valid: true } });
  });

  it('rejects wrong hex with exit 2', async () => {
    expect(await run('atr', '3BZZ')).toMatchObject({ code: 2, stderr: expect.stringContaining('[BAD_HEX]') });
  });

  it('runs as `npx cardfleet-agent` from the repository root', () => {
    const out = execFileSync('npx', ['--no-install', 'cardfleet-agent', 'atr', '3B8180018080'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toContain('Gemalto IDPrime / SafeNet (middleware ATR6)');
    // npx starts a second Node and tsx (~2 s idle); on 2 busy cores that exceeds vitest's 5 s default.
  }, 30_000);
});

describe('cardfleet-agent run (in-process virtual card)', () => {
  const card = join(root, 'examples/cards/cardos.json');

  it('exits 0 when every application succeeded', async () => {
    const result = await run('run', example('read-version'), '--card', card, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'SUCCEEDED',
      applications: [{ responseCodes: '9000,9000' }],
    });
  });

  it('exits 1 when the card refuses, naming line, SW and meaning', async () => {
    const dir = scratch({
      'e.ini': 'ApplicationList=A\n[A]\nApduFile=s.apdu\n',
      's.apdu': 'RAW:00A4080C023F99   # no such file\nRAW:00CA018202\n',
    });
    const result = await run('run', dir, '--card', card);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'line 1: the card answered 6A82 (file or application not found) [CARD_STATUS]',
    );
  });

  it('exits 2 on an invalid bundle or an unknown reader', async () => {
    const dir = scratch({ 'e.ini': 'ApplicationList=A\n[A]\nApduFile=s.apdu\n' });
    expect((await run('run', dir, '--card', card)).code).toBe(2);
    const unknown = await run('run', example('read-version'), '--card', card, '--reader', 'Nope');
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('[UNKNOWN_READER]') });
  });
});
