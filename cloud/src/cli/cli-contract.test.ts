import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/ports';
import { addEnrolledAgent, memoryCloud, pushExample } from '../../../test/support/test-cloud';
import { CLOUD_PROGRAM } from './cloud-program';
import { reasonLines } from './jobs-commands';
import { main } from './main';

const root = join(import.meta.dirname, '../../..');
const bin = join(root, 'cloud/bin/cardfleet.mjs');
const { version } = JSON.parse(readFileSync(join(root, 'cloud/package.json'), 'utf8')) as { version: string };
const STACK_FRAME = '    at ';

async function cli(env: Record<string, string | undefined>, argv: string[], fetch?: typeof globalThis.fetch) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    sleep: async () => undefined,
    ...(fetch ? { fetch } : {}),
  });
  return { code, stdout, stderr };
}

describe('cardfleet command line, before any API is needed', () => {
  it.each(CLOUD_PROGRAM.commands.map((c) => c.path))(
    'explains "%s" with help and --help, exit 0',
    async (path) => {
      for (const argv of [
        ['help', ...path.split(' ')],
        [...path.split(' '), '--help'],
        [...path.split(' '), '-h'],
      ]) {
        const result = await cli({}, argv);
        expect(result, argv.join(' ')).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toContain(`usage: cardfleet ${path}`);
      }
    },
  );

  it('lists every command in --help and each group in help GROUP, without CARDFLEET_API_URL', async () => {
    const help = await cli({}, ['--help']);
    expect(help.code).toBe(0);
    for (const command of CLOUD_PROGRAM.commands) expect(help.stdout).toContain(command.path);
    expect(help.stdout).toContain('exit codes: 0 ok, 1 the card or job failed, 2 usage or bad input, 3');
    const jobs = await cli({}, ['help', 'jobs']);
    expect(jobs).toMatchObject({ code: 0, stdout: expect.stringContaining('jobs retry <id>') });
  });

  it('prints the package version for --version', async () => {
    expect(await cli({}, ['--version'])).toEqual({ code: 0, stdout: `cardfleet ${version}\n`, stderr: '' });
  });

  it('answers an unknown command or option with exit 2, the code and where to look, no stack trace', async () => {
    for (const argv of [
      ['nope'],
      ['jobs'],
      ['jobs', 'fly'],
      ['jobs', 'list', '--bogus'],
      ['jobs', 'run', '--agent', 'a', '--encoding', 'e', '--version', '2'],
      ['jobs', 'run', '--agent', 'a', '--encoding', 'e', '--timeout', 'abc'],
      ['jobs', 'run', '--agent', 'a', '--encoding', 'e', '--encoding-version', '1.5'],
      ['jobs', 'run', '--agent', 'a'],
      ['jobs', 'show'],
      ['jobs', 'show', 'a', 'b'],
      ['audit', 'export', '--format', 'xml'],
      ['help', 'nope'],
      [],
    ]) {
      const result = await cli({}, argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(/\[CLI_USAGE\]/);
      expect(result.stderr).not.toContain(STACK_FRAME);
    }
  });

  it('writes an error as one JSON object on stderr with --json', async () => {
    const result = await cli({}, [
      'jobs',
      'run',
      '--agent',
      'a',
      '--encoding',
      'e',
      '--timeout',
      'abc',
      '--json',
    ]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toEqual({
      error: {
        code: 'CLI_USAGE',
        message: '--timeout needs a positive number, not "abc"',
        exit: 2,
        hint: 'see: cardfleet jobs run --help',
      },
    });
  });

  it('names a missing --fields file as bad input (exit 2) before it calls the API', async () => {
    const env = { CARDFLEET_API_URL: `http://127.0.0.1:${await freePort()}`, CARDFLEET_TOKEN: 't' };
    const result = await cli(env, [
      'jobs',
      'run',
      '--agent',
      'a',
      '--encoding',
      'e',
      '--fields',
      '/nonexistent.json',
    ]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('[FIELDS_BAD_JSON]') });
  });

  it('exits 3 naming the API it cannot reach', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await cli({ CARDFLEET_API_URL: url, CARDFLEET_TOKEN: 't' }, ['jobs', 'list']);
    expect(result).toEqual({
      code: 3,
      stdout: '',
      stderr: `cannot reach ${url} (ECONNREFUSED) [API_UNREACHABLE]\n`,
    });
  });

  it('as a process: no stack trace and exit 3 for an unreachable API, 2 for a bad option', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], {
        encoding: 'utf8',
        env: { ...process.env, CARDFLEET_API_URL: url, CARDFLEET_TOKEN: 't' },
      });
    const unreachable = run('agents', 'list');
    expect(unreachable.status).toBe(3);
    expect(unreachable.stderr).toContain('[API_UNREACHABLE]');
    expect(unreachable.stderr).not.toContain(STACK_FRAME);
    const bad = run('jobs', 'list', '--limit', 'many');
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toContain(STACK_FRAME);
  }, 30_000);
});

describe('cardfleet login profiles', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  let home: string;
  beforeEach(async () => {
    cloud = await memoryCloud();
    home = mkdtempSync(join(tmpdir(), 'cardfleet-profiles-'));
  });

  it('stores named profiles 0600, selects one by --profile or CARDFLEET_PROFILE, and lets env override', async () => {
    const env = { XDG_CONFIG_HOME: home };
    const other = 'http://other.test';
    expect((await cli(env, ['login', '--url', cloud.base, '--token', cloud.tokens.admin])).code).toBe(0);
    expect((await cli(env, ['login', '--url', other, '--token', 'tok-2', '--profile', 'other'])).code).toBe(
      0,
    );
    const file = join(home, 'cardfleet/profiles.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const listed = await cli(env, ['profiles', 'list']);
    expect(listed.stdout).toBe(`* default  ${cloud.base}\n  other  ${other}\n`);
    expect(listed.stdout).not.toContain(cloud.tokens.admin);
    // The default profile reaches the cloud; the other one names its URL.
    expect((await cli(env, ['encodings', 'list'], cloud.fetch)).code).toBe(0);
    const chosen: string[] = [];
    const recording = (async (input: string | URL | Request) => {
      chosen.push(String(input));
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect((await cli(env, ['encodings', 'list', '--profile', 'other'], recording)).code).toBe(3);
    expect((await cli({ ...env, CARDFLEET_PROFILE: 'other' }, ['agents', 'list'], recording)).code).toBe(3);
    expect(chosen).toEqual([`${other}/v1/encodings`, `${other}/v1/agents`]);
    // Environment variables win over the profile.
    const overridden = await cli({ ...env, CARDFLEET_TOKEN: 'wrong' }, ['encodings', 'list'], cloud.fetch);
    expect(overridden.code).toBe(3);
    expect((await cli(env, ['encodings', 'list', '--profile', 'missing'])).stderr).toContain(
      'no profile missing',
    );
    expect((await cli(env, ['logout', '--profile', 'other'])).stdout).toBe('profile other removed\n');
    expect(JSON.parse(readFileSync(file, 'utf8')).profiles).not.toHaveProperty('other');
  });

  it('keeps a profile file 0600 even when it existed with a wider mode', async () => {
    const env = { XDG_CONFIG_HOME: home };
    await cli(env, ['login', '--url', cloud.base, '--token', 'a']);
    const file = join(home, 'cardfleet/profiles.json');
    writeFileSync(file, readFileSync(file), { mode: 0o644 });
    (await import('node:fs')).chmodSync(file, 0o644);
    await cli(env, ['login', '--url', cloud.base, '--token', 'b', '--profile', 'b']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a login without a URL scheme or a token', async () => {
    expect((await cli({ XDG_CONFIG_HOME: home }, ['login', '--url', 'nowhere', '--token', 't'])).code).toBe(
      2,
    );
    expect((await cli({ XDG_CONFIG_HOME: home }, ['login', '--url', cloud.base])).code).toBe(2);
  });
});

describe('cardfleet commands over the API', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  const admin = (...argv: string[]) =>
    cli({ CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: cloud.tokens.admin }, argv, cloud.fetch);
  beforeEach(async () => {
    cloud = await memoryCloud();
  });

  it('lists jobs with filters, and audit entries with filters', async () => {
    await pushExample(cloud, 'read-version');
    await addEnrolledAgent(
      cloud,
      'agent-1',
      'berlin',
      (await import('jose').then((j) => j.generateKeyPair('ES256'))).publicKey,
    );
    const job = JSON.parse(
      (await admin('jobs', 'run', '--agent', 'agent-1', '--encoding', 'read-version', '--json')).stdout,
    );
    expect((await admin('jobs', 'list', '--agent', 'agent-1', '--state', 'QUEUED')).stdout).toContain(
      `${job.jobId}  QUEUED  read-version v1  agent-1`,
    );
    expect((await admin('jobs', 'list', '--state', 'SUCCEEDED')).stdout).toBe('no jobs\n');
    expect((await admin('jobs', 'list', '--state', 'NOPE')).code).toBe(2); // the API refuses the filter
    const audit = await admin('audit', 'list', '--office', 'berlin', '--json');
    expect(JSON.parse(audit.stdout).items.length).toBeGreaterThan(0);
    expect((await admin('audit', 'list', '--agent', 'nobody')).stdout).toBe('no audit entries\n');
  });

  it("shows an encoding version and diffs two, from the API's redacted views", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardfleet-diff-'));
    cpSync(join(root, 'examples/change-key'), dir, { recursive: true });
    expect((await admin('encodings', 'push', dir, '--id', 'ck')).code).toBe(0);
    const ini = join(dir, 'encoding.ini');
    writeFileSync(ini, `${readFileSync(ini, 'utf8')}\n; second version\n`);
    expect((await admin('encodings', 'push', dir, '--id', 'ck')).code).toBe(0);
    const shown = await admin('encodings', 'show', 'ck', '1');
    expect(shown.stdout).toMatch(/^ck version 1 \(sha256 [0-9a-f]{64}\)\n=== change_key\.apdu\n/);
    expect(shown.stdout).toContain('\n=== encoding.ini\n');
    const diff = await admin('encodings', 'diff', 'ck', '1', '2');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('--- ck v1/encoding.ini\n+++ ck v2/encoding.ini\n@@ ');
    expect(diff.stdout).toContain('+; second version');
    // Only lines were added: no line of version 1 is removed.
    expect(diff.stdout.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('--- '))).toEqual([]);
    expect((await admin('encodings', 'show', 'ck', 'two')).code).toBe(2);
    expect(await admin('encodings', 'show', 'ck', '9')).toMatchObject({ code: 2 }); // no such version
  });

  it('revokes an agent', async () => {
    await addEnrolledAgent(
      cloud,
      'agent-1',
      'berlin',
      (await import('jose').then((j) => j.generateKeyPair('ES256'))).publicKey,
    );
    expect((await admin('agents', 'revoke', 'agent-1')).stdout).toBe('agent agent-1 REVOKED\n');
    expect((await admin('agents', 'list')).stdout).toMatch(/^agent-1 {2}berlin {2}REVOKED/m);
  });
});

describe('a failed job', () => {
  it('prints its reason line, not only FAILED', () => {
    expect(
      reasonLines({
        result: {
          applications: [
            {
              name: 'SetPin',
              failure: {
                code: 'CARD_STATUS',
                message: 'line 4: the card answered 63C2 (verification failed, 2 tries left)',
              },
            },
          ],
        },
      }),
    ).toBe(
      '\n  reason: SetPin: line 4: the card answered 63C2 (verification failed, 2 tries left) [CARD_STATUS]',
    );
  });
});
