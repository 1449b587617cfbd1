import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CardfleetError, isTerminal } from '@cardfleet/shared';
import { readBundleFromPath } from '@cardfleet/shared/node';
import { apiClient } from './api-client';
import { auditCommand } from './audit-commands';
import type { CliIo } from './cli-io';

export type { CliIo } from './cli-io';

/**
 * `cardfleet` — the admin CLI against the API (CARDFLEET_API_URL, CARDFLEET_TOKEN).
 * Human-readable by default, `--json` for scripts, non-zero exit on failure.
 */

const USAGE = `usage: cardfleet <command> [options]   (env: CARDFLEET_API_URL, CARDFLEET_TOKEN)

  encodings push <bundle> [--id ID]          upload an encoding bundle (dir, .zip or .ini)
  encodings list
  agents add <id> --office OFFICE            prints the one-time enrolment code
  agents list                                agents with presence, readers and last seen
  jobs run --agent A --encoding E [--version N] [--fields f.json] [--reader R] [--wait] [--timeout S]
  jobs show <id>
  jobs retry <id> [--wait] [--timeout S]     run a finished, unsuccessful job again (a new attempt)
  jobs cancel <id>                           cancel; a job the agent holds is cancelled if it has not touched the card
  audit export --format csv|json
  audit verify [--state FILE] [--witness DIR] [--key jwks.json] [--full]
                                             from the last checkpoint this auditor verified
  audit prove --card SERIAL                  the card's entries with inclusion proofs
  audit verify-proof FILE --key jwks.json    checks such proofs offline
  audit checkpoint                           signs a checkpoint now (admin)
  audit repair --shard N|LOG --reason TEXT [--from N] [--to N]   quarantines damage (admin)
options: --json
`;

/** The options that take a value and have no default (see USAGE): for encodings, agents and jobs; for audit. */
const FLEET_OPTIONS = ['id', 'office', 'agent', 'encoding', 'version', 'fields', 'reader'] as const;
const AUDIT_OPTIONS = ['card', 'key', 'state', 'witness', 'shard', 'from', 'to', 'reason'] as const;

/** parseArgs option declarations for options that take a value (`--name VALUE`). */
function valueOptions<N extends string>(names: readonly N[]): Record<N, { type: 'string' }> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<N, { type: 'string' }>;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...valueOptions([...FLEET_OPTIONS, ...AUDIT_OPTIONS]),
        json: { type: 'boolean', default: false },
        wait: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '300' },
        format: { type: 'string', default: 'json' },
        full: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [group, action, target] = positionals;
    if (values.help || !group) {
      io.stdout(USAGE);
      return group ? 0 : 2;
    }
    if (group === 'audit' && action !== 'export')
      return await auditCommand(action ?? '', target, values, () => apiClient(io.env, io.fetch), io);
    const api = apiClient(io.env, io.fetch);
    const print = (human: string, data: unknown) =>
      io.stdout(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
    switch (`${group} ${action ?? ''}`.trim()) {
      case 'encodings push': {
        if (!target) throw usage('encodings push needs a bundle path');
        const files = readBundleFromPath(target).files.map((f) => ({
          name: f.name,
          base64: Buffer.from(f.bytes).toString('base64'),
        }));
        const id =
          values.id ??
          target
            .replace(/\/$/, '')
            .split('/')
            .pop()
            ?.replace(/\.(zip|ini)$/i, '') ??
          '';
        const { json } = await api.request('POST', '/v1/encodings', { id, files });
        const created = json as { id: string; version: number; sha256: string };
        print(`pushed ${created.id} version ${created.version} (sha256 ${created.sha256})`, created);
        return 0;
      }
      case 'encodings list': {
        const { json } = await api.request('GET', '/v1/encodings');
        const items = (json as { items: { id: string; latestVersion: number; updatedAt: string }[] }).items;
        print(
          items.map((e) => `${e.id}  v${e.latestVersion}  ${e.updatedAt}`).join('\n') || 'no encodings',
          items,
        );
        return 0;
      }
      case 'agents add': {
        if (!target || !values.office) throw usage('agents add needs <id> --office OFFICE');
        const { json } = await api.request('POST', '/v1/agents', { id: target, office: values.office });
        const agent = json as { id: string; office: string; enrolmentCode: string };
        print(
          `agent ${agent.id} (${agent.office}) added; enrolment code (works once): ${agent.enrolmentCode}`,
          agent,
        );
        return 0;
      }
      case 'agents list': {
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
      case 'jobs retry':
      case 'jobs cancel': {
        if (!target) throw usage(`jobs ${action} needs a job id`);
        const { json } = await api.request('POST', `/v1/jobs/${encodeURIComponent(target)}/${action}`);
        const answer = json as { jobId: string; state: string; attempt?: number; cancelRequested?: boolean };
        if (action === 'retry' && values.wait) {
          const job = await waitForJob(
            api,
            answer.jobId,
            Number(values.timeout) * 1000,
            io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
          );
          print(`job ${answer.jobId} attempt ${answer.attempt ?? '?'} ${job.state}`, job);
          return job.state === 'SUCCEEDED' ? 0 : 1;
        }
        print(
          answer.cancelRequested
            ? `job ${answer.jobId} ${answer.state}: cancel sent to the agent (CANCELED if it had not touched the card yet)`
            : `job ${answer.jobId}${answer.attempt ? ` attempt ${answer.attempt}` : ''} ${answer.state}`,
          answer,
        );
        return 0;
      }
      case 'jobs run': {
        if (!values.agent || !values.encoding) throw usage('jobs run needs --agent and --encoding');
        const fields = values.fields
          ? (JSON.parse(readFileSync(values.fields, 'utf8')) as Record<string, string>)
          : {};
        const body = {
          agentId: values.agent,
          encodingId: values.encoding,
          fields,
          ...(values.version ? { version: Number(values.version) } : {}),
          ...(values.reader ? { reader: values.reader } : {}),
        };
        const { json } = await api.request('POST', '/v1/jobs', body);
        const created = json as { jobId: string; state: string };
        if (!values.wait) {
          print(`job ${created.jobId} ${created.state}`, created);
          return 0;
        }
        const job = await waitForJob(
          api,
          created.jobId,
          Number(values.timeout) * 1000,
          io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        );
        print(`job ${created.jobId} ${job.state}`, job);
        return job.state === 'SUCCEEDED' ? 0 : 1;
      }
      case 'jobs show': {
        if (!target) throw usage('jobs show needs a job id');
        const { json } = await api.request('GET', `/v1/jobs/${encodeURIComponent(target)}`);
        const job = json as {
          jobId: string;
          state: string;
          agentId: string;
          encoding: { id: string; version: number };
          history: { state: string; at: string }[];
        };
        const history = job.history.map((h) => `  ${h.at}  ${h.state}`).join('\n');
        print(
          `job ${job.jobId}: ${job.state} — ${job.encoding.id} v${job.encoding.version} on ${job.agentId}\n${history}`,
          job,
        );
        return 0;
      }
      case 'audit export': {
        if (values.format !== 'csv' && values.format !== 'json') throw usage('--format csv or json');
        const { text } = await api.request('GET', `/v1/audit/export?format=${values.format}`);
        io.stdout(text.endsWith('\n') ? text : `${text}\n`);
        return 0;
      }
      default:
        throw usage(`unknown command ${group} ${action ?? ''}`);
    }
  } catch (error) {
    if (error instanceof CardfleetError) {
      io.stderr(`${error.message} [${error.code}]\n`);
      return error.code === 'CLI_USAGE' ? 2 : 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

async function waitForJob(
  api: ReturnType<typeof apiClient>,
  jobId: string,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await api.request('GET', `/v1/jobs/${encodeURIComponent(jobId)}`);
    const job = json as { state: string };
    if (isTerminal(job.state)) return job;
    if (Date.now() > deadline)
      throw new CardfleetError(
        'WAIT_TIMEOUT',
        `job ${jobId} is still ${job.state} after ${timeoutMs / 1000} s`,
      );
    await sleep(500);
  }
}

function usage(message: string): CardfleetError {
  return new CardfleetError('CLI_USAGE', `${message}\n${USAGE}`);
}
