import { readFileSync } from 'node:fs';
import { CardfleetError, type ErrorCode } from '@cardfleet/shared';
import { cliFailure, type OptionValues, parseCommandLine, renderFailure } from '@cardfleet/shared/node';
import { apiClient } from './api-client';
import { type AuditOptions, auditCommand } from './audit-commands';
import { batchesCommand } from './batch-commands';
import type { CliIo } from './cli-io';
import { CLOUD_PROGRAM } from './cloud-program';
import { encodingsCommand } from './encoding-commands';
import { jobsCommand } from './jobs-commands';
import { connectionEnv, listProfiles, removeProfile, saveProfile, selectedProfile } from './login-profiles';
import { RELEASE_ACTIONS, releaseCommand } from './release-commands';

export type { CliIo } from './cli-io';

/**
 * `cardfleet` — the admin CLI against the API. The command line is parsed first (help,
 * usage errors), then the connection is read: CARDFLEET_API_URL / CARDFLEET_TOKEN, else
 * the login profile. Human-readable by default, `--json` for scripts; exit codes in
 * docs/cloud.md ("Command line").
 */
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const PROGRAM = { ...CLOUD_PROGRAM, version: VERSION };

/** Codes that mean the user's input was wrong (exit 2), besides usage and HTTP 4xx. */
const BAD_INPUT = new Set<ErrorCode>(['FIELDS_BAD_JSON', 'FILE_UNREADABLE']);
const isBadInput = (code: ErrorCode) => BAD_INPUT.has(code) || code.startsWith('BUNDLE_');

export async function main(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const parsed = parseCommandLine(PROGRAM, argv);
    if (parsed.kind !== 'command') {
      io.stdout(parsed.text);
      return 0;
    }
    return await runCommand(parsed.command.path, parsed.values, parsed.positionals, io);
  } catch (error) {
    const failure = cliFailure(error, isBadInput);
    io.stderr(renderFailure(failure, json));
    return failure.exit;
  }
}

async function runCommand(path: string, values: OptionValues, args: string[], io: CliIo): Promise<number> {
  const [group = '', action = ''] = path.split(' ');
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const print = (human: string, data: unknown) =>
    io.stdout(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
  const profile = text('profile');
  const api = () => apiClient(connectionEnv(io.env, profile), io.fetch);
  const target = args[0];
  switch (group) {
    case 'login': {
      const token = text('token') ?? io.env.CARDFLEET_TOKEN;
      if (!token) throw new CardfleetError('CLI_USAGE', 'login needs --token TOKEN (or CARDFLEET_TOKEN)');
      const url = text('url') ?? '';
      if (!/^https?:\/\/[^/\s]+/.test(url))
        throw new CardfleetError('CLI_USAGE', `--url needs an http(s) URL, not "${url}"`);
      const name = selectedProfile(io.env, profile);
      const file = saveProfile(io.env, name, { url, token });
      print(`profile ${name}: ${url} (saved in ${file})`, { profile: name, url, file });
      return 0;
    }
    case 'logout': {
      const name = selectedProfile(io.env, profile);
      const removed = removeProfile(io.env, name);
      print(removed ? `profile ${name} removed` : `no profile ${name}`, { profile: name, removed });
      return 0;
    }
    case 'profiles': {
      const selected = selectedProfile(io.env, profile);
      const items = listProfiles(io.env).map((p) => ({ ...p, selected: p.name === selected }));
      print(
        items.map((p) => `${p.selected ? '*' : ' '} ${p.name}  ${p.url}`).join('\n') ||
          'no profiles (cardfleet login)',
        items,
      );
      return 0;
    }
    case 'encodings':
      if (RELEASE_ACTIONS.has(action)) return releaseCommand(action, args, values, api(), print);
      return encodingsCommand(action, args, text('id'), api(), print);
    case 'jobs':
      return jobsCommand(action, target, values, api(), io, print);
    case 'batches':
      return batchesCommand(action, target, values, api(), io, print);
    case 'agents':
      return agentsCommand(action, target, text('office'), api(), print);
    case 'audit':
      if (action === 'list' || action === 'export') return auditListing(action, values, api(), io, print);
      return auditCommand(action, target, values as unknown as AuditOptions, api, io);
    default:
      throw new CardfleetError('CLI_USAGE', `unknown command ${path}`);
  }
}

type Print = (human: string, data: unknown) => void;

async function agentsCommand(
  action: string,
  target: string | undefined,
  office: string | undefined,
  api: ReturnType<typeof apiClient>,
  print: Print,
): Promise<number> {
  const id = target ?? '';
  if (action === 'add') {
    const { json } = await api.request('POST', '/v1/agents', { id, office });
    const agent = json as { id: string; office: string; enrolmentCode: string };
    print(
      `agent ${agent.id} (${agent.office}) added; enrolment code (works once): ${agent.enrolmentCode}`,
      agent,
    );
    return 0;
  }
  if (action === 'revoke') {
    const { json } = await api.request('POST', `/v1/agents/${encodeURIComponent(id)}/revoke`);
    const answer = json as { id: string; state: string; endedJobs?: string[] };
    const ended = answer.endedJobs?.length ? `; ended jobs: ${answer.endedJobs.join(', ')}` : '';
    print(`agent ${answer.id} ${answer.state}${ended}`, answer);
    return 0;
  }
  const { json } = await api.request('GET', '/v1/agents');
  const items = (
    json as {
      items: {
        id: string;
        office: string;
        state: string;
        presence?: {
          status: string;
          agentVersion?: string;
          startedAt?: string;
          readers: { name: string; cardPresent: boolean; cardNames: string[] }[];
        };
        lastSeen?: string;
      }[];
    }
  ).items;
  const line = (a: (typeof items)[number]) => {
    const readers = (a.presence?.readers ?? [])
      .map((r) => `${r.name}${r.cardPresent ? ` [${r.cardNames[0] ?? 'card'}]` : ''}`)
      .join(', ');
    const running = a.presence?.agentVersion
      ? `  version ${a.presence.agentVersion}${a.presence.startedAt ? ` started ${a.presence.startedAt}` : ''}`
      : '';
    return `${a.id}  ${a.office}  ${a.state}  ${a.presence?.status ?? 'never seen'}${running}${a.lastSeen ? `  last seen ${a.lastSeen}` : ''}${readers ? `  readers: ${readers}` : ''}`;
  };
  print(items.map(line).join('\n') || 'no agents', items);
  return 0;
}

/** `audit list` (a page, with the API's filters) and `audit export` (everything). */
async function auditListing(
  action: 'list' | 'export',
  values: OptionValues,
  api: ReturnType<typeof apiClient>,
  io: CliIo,
  print: Print,
): Promise<number> {
  if (action === 'export') {
    const { text } = await api.request('GET', `/v1/audit/export?format=${String(values.format)}`);
    io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  const query = new URLSearchParams();
  for (const [option, param] of [
    ['office', 'office'],
    ['agent', 'agentId'],
    ['card', 'cardSerial'],
    ['from', 'from'],
    ['to', 'to'],
    ['limit', 'limit'],
    ['cursor', 'cursor'],
  ] as const) {
    const value = values[option];
    if (typeof value === 'string') query.set(param, value);
  }
  const page = (await api.request('GET', `/v1/audit${query.size ? `?${query}` : ''}`)).json as {
    items: {
      shard?: number;
      seq: number;
      at: string;
      actor: string;
      action: string;
      office?: string;
      agentId?: string;
      jobId?: string;
    }[];
    nextCursor?: string;
  };
  const lines = page.items.map((e) =>
    [e.at, `${e.shard ?? ''}/${e.seq}`, e.actor, e.action, e.office, e.agentId, e.jobId]
      .filter(Boolean)
      .join('  '),
  );
  if (page.nextCursor) lines.push(`more: --cursor ${page.nextCursor}`);
  print(lines.join('\n') || 'no audit entries', page);
  return 0;
}
