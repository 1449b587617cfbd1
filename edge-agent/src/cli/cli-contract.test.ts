import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/ports';
import { AGENT_PROGRAM } from './agent-program';
import { main } from './main';

const root = join(import.meta.dirname, '../../..');
const bin = join(root, 'edge-agent/bin/cardfleet-agent.mjs');
const { version } = JSON.parse(readFileSync(join(root, 'edge-agent/package.json'), 'utf8')) as {
  version: string;
};
const STACK_FRAME = '    at ';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('cardfleet-agent command line', () => {
  it.each(AGENT_PROGRAM.commands.map((c) => c.path))(
    'explains "%s" with help, --help and -h, exit 0',
    async (path) => {
      for (const argv of [
        ['help', ...path.split(' ')],
        [...path.split(' '), '--help'],
        [...path.split(' '), '-h'],
      ]) {
        const result = await run(...argv);
        expect(result, argv.join(' ')).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toContain(`usage: cardfleet-agent ${path}`);
      }
    },
  );

  it('lists every command in --help and -h, with the exit codes', async () => {
    for (const flag of ['--help', '-h']) {
      const help = await run(flag);
      expect(help.code).toBe(0);
      for (const command of AGENT_PROGRAM.commands) expect(help.stdout).toContain(command.path);
      expect(help.stdout).toContain(
        'exit codes: 0 ok, 1 the card refused or failed, 2 usage or bad input, 3',
      );
    }
  });

  it('prints the package version for --version', async () => {
    expect(await run('--version')).toEqual({ code: 0, stdout: `cardfleet-agent ${version}\n`, stderr: '' });
  });

  it('answers unknown commands, options and missing arguments with exit 2 and no stack trace', async () => {
    for (const argv of [
      ['nope'],
      ['keys'],
      ['keys', 'rotate'],
      ['atr'],
      ['atr', '3B00', 'extra'],
      ['validate', 'x', '--bogus'],
      ['start'],
      ['enrol', '--api', 'http://127.0.0.1:1'],
      ['enrol', '--api', 'nowhere', '--code', 'c'],
      ['virtual-card'],
      [],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toContain('[CLI_USAGE]');
      expect(result.stderr).not.toContain(STACK_FRAME);
    }
  });

  it('writes an error as one JSON object on stderr with --json', async () => {
    const result = await run('atr', '--json', '--bogus');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'CLI_USAGE', exit: 2 } });
  });

  it('names a missing or malformed --config as bad input (exit 2)', async () => {
    expect(await run('start', '--config', '/nonexistent.json')).toEqual({
      code: 2,
      stdout: '',
      stderr: '/nonexistent.json: not a readable JSON file [CONFIG_UNREADABLE]\n',
    });
    const dir = mkdtempSync(join(tmpdir(), 'cardfleet-agent-config-'));
    writeFileSync(join(dir, 'agent.json'), '{ not json');
    expect((await run('keys', 'update', '--config', join(dir, 'agent.json'))).code).toBe(2);
  });

  it('exits 3 naming the API enrol cannot reach', async () => {
    const api = `http://127.0.0.1:${await freePort()}`;
    const state = mkdtempSync(join(tmpdir(), 'cardfleet-agent-enrol-'));
    expect(await run('enrol', '--api', api, '--code', 'c0de', '--state', state)).toEqual({
      code: 3,
      stdout: '',
      stderr: `cannot reach ${api} (ECONNREFUSED) [API_UNREACHABLE]\n`,
    });
  });

  it('as a process: exit 3 for an unreachable API and 2 for a missing config, no stack trace', async () => {
    const api = `http://127.0.0.1:${await freePort()}`;
    const state = mkdtempSync(join(tmpdir(), 'cardfleet-agent-enrol-'));
    const agent = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    const enrol = agent('enrol', '--api', api, '--code', 'c0de', '--state', state);
    expect(enrol.status).toBe(3);
    expect(enrol.stderr).not.toContain(STACK_FRAME);
    const start = agent('start', '--config', '/nonexistent.json');
    expect(start.status).toBe(2);
    expect(start.stderr).toContain('[CONFIG_UNREADABLE]');
    expect(start.stderr).not.toContain(STACK_FRAME);
  }, 30_000);
});
