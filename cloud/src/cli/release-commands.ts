import {
  type Approval,
  CardfleetError,
  type Release,
  type Runnable,
  type VersionLifecycle,
} from '@cardfleet/shared';
import type { CommandSpec, OptionSpec, OptionValues } from '@cardfleet/shared/node';
import type { ApiClient } from './api-client';

/**
 * `cardfleet encodings approve|release|releases|promote|halt|resume|rollback|retire|runnable`
 * (docs/releases.md): four eyes, staged releases and their halts, from the command line.
 * Refusals come back as the API's codes (SELF_APPROVAL, RELEASE_HALTED…) with the exit
 * codes of docs/cloud.md ("Command line").
 */
const str = (value: string, help: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  type: 'string',
  value,
  help,
  ...extra,
});
const REASON = { reason: str('TEXT', 'why (kept in the audit entry)') };
const byRelease = (action: string, summary: string): CommandSpec => ({
  path: `encodings ${action}`,
  args: '<release-id>',
  minArgs: 1,
  maxArgs: 1,
  summary,
  options: REASON,
});

export const RELEASE_COMMANDS: readonly CommandSpec[] = [
  {
    path: 'encodings approve',
    args: '<id> <version>',
    minArgs: 2,
    maxArgs: 2,
    summary: 'approve a draft as the second admin; prints the redacted diff against the version it replaces',
    details:
      'The admin who pushed the version cannot approve it (SELF_APPROVAL). Read the diff first with\n`cardfleet encodings diff <id> <released> <version>`.',
  },
  {
    path: 'encodings release',
    args: '<id> <version>',
    minArgs: 2,
    maxArgs: 2,
    summary: 'release an approved version to offices in stages, canary first (admin)',
    details:
      'Stages are separated by ";", offices by ","; "*" (last stage only) is every office:\n  --stages "berlin;paris,rome;*"\nDefault halt: more than 2 failures among the first 10 counted jobs, or more than 20 % of the last 50.',
    options: {
      stages: str('STAGES', 'canary offices first, e.g. "berlin;*"', { required: true }),
      'first-jobs': str('N', 'how many first counted jobs the first rule looks at (default 10)', {
        number: 'positive-integer',
      }),
      'first-max-failures': str('N', 'failures allowed among them (default 2)', {
        number: 'non-negative-integer',
      }),
      window: str('N', 'how many last counted jobs the rate looks at (default 50)', {
        number: 'positive-integer',
      }),
      'window-max-rate': str('R', 'failure rate allowed over them, 0..1 (default 0.2)', {
        number: 'positive',
      }),
    },
  },
  {
    path: 'encodings releases',
    args: '[id]',
    maxArgs: 1,
    summary: 'releases with their state, stage and counts; HALTED ones with the reason',
    options: { state: str('STATE', 'only this state', { choices: ['ACTIVE', 'HALTED', 'ROLLED_BACK'] }) },
  },
  byRelease('promote', 'release to the next stage (admin)'),
  byRelease('halt', 'halt: no new job on it, queued jobs held (admin)'),
  byRelease('resume', 'resume a halted release; its counts start again (admin)'),
  byRelease('rollback', 'put its offices back on the version they ran before (admin)'),
  {
    path: 'encodings retire',
    args: '<id> <version>',
    minArgs: 2,
    maxArgs: 2,
    summary: 'retire a version no office runs any more (admin)',
    options: REASON,
  },
  {
    path: 'encodings runnable',
    args: '<id>',
    minArgs: 1,
    maxArgs: 1,
    summary: 'the versions an office may run (operators: their own office)',
    options: { office: str('OFFICE', 'the office (admins and auditors)') },
  },
];

export const RELEASE_ACTIONS: ReadonlySet<string> = new Set(
  RELEASE_COMMANDS.map((c) => c.path.split(' ')[1] ?? ''),
);

type Print = (human: string, data: unknown) => void;

export async function releaseCommand(
  action: string,
  args: string[],
  values: OptionValues,
  api: ApiClient,
  print: Print,
): Promise<number> {
  const [target = '', version] = args;
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const reason = text('reason');
  const id = encodeURIComponent(target);
  const versionPath = () => `/v1/encodings/${id}/versions/${positive(version)}`;
  switch (action) {
    case 'approve': {
      const approval = (await api.request('POST', `${versionPath()}/approve`)).json as Approval;
      // The redacted diff the API serves (GET /v1/encodings/{id}/diff, docs/api.md): no secret.
      const diff = approval.diff
        ? ((await api.request('GET', approval.diff.path)).json as { diff: string }).diff
        : '';
      const head = `${target} version ${approval.lifecycle.version} approved by ${approval.lifecycle.approvedBy} (pushed by ${approval.lifecycle.uploadedBy})`;
      const against =
        approval.replaces === null
          ? 'it replaces no released version'
          : `diff against version ${approval.replaces} (secrets redacted):\n${diff.trimEnd() || '(no change)'}`;
      print(`${head}\n${against}`, { ...approval, ...(approval.diff ? { diffText: diff } : {}) });
      return 0;
    }
    case 'release': {
      const thresholds = Object.fromEntries(
        (
          [
            ['first-jobs', 'firstJobs'],
            ['first-max-failures', 'firstMaxFailures'],
            ['window', 'window'],
            ['window-max-rate', 'windowMaxFailureRate'],
          ] as const
        ).flatMap(([option, key]) => (text(option) === undefined ? [] : [[key, Number(text(option))]])),
      );
      const body = { stages: parseStages(text('stages') ?? ''), thresholds };
      const release = (await api.request('POST', `${versionPath()}/releases`, body)).json as Release;
      print(`release ${release.releaseId}: ${describe(release)}`, release);
      return 0;
    }
    case 'releases': {
      const query = new URLSearchParams();
      if (target) query.set('encodingId', target);
      if (text('state')) query.set('state', text('state') ?? '');
      const { items } = (await api.request('GET', `/v1/releases${query.size ? `?${query}` : ''}`)).json as {
        items: Release[];
      };
      print(items.map((r) => `${r.releaseId}  ${describe(r)}`).join('\n') || 'no releases', items);
      return 0;
    }
    case 'promote':
    case 'halt':
    case 'resume':
    case 'rollback': {
      const path = `/v1/releases/${encodeURIComponent(target)}/${action}`;
      const release = (await api.request('POST', path, reason ? { reason } : {})).json as Release;
      print(`release ${release.releaseId}: ${describe(release)}`, release);
      return 0;
    }
    case 'retire': {
      const lifecycle = (await api.request('POST', `${versionPath()}/retire`, reason ? { reason } : {}))
        .json as VersionLifecycle;
      print(`${target} version ${lifecycle.version} ${lifecycle.status}`, lifecycle);
      return 0;
    }
    case 'runnable': {
      const office = text('office');
      const path = `/v1/encodings/${id}/runnable${office ? `?office=${encodeURIComponent(office)}` : ''}`;
      const runnable = (await api.request('GET', path)).json as Runnable;
      const release = runnable.releaseId ? ` (release ${runnable.releaseId}, ${runnable.releaseState})` : '';
      print(
        `${runnable.office} may run ${target} ${runnable.versions.length ? `version ${runnable.versions.join(', ')}` : 'no version'}${release}`,
        runnable,
      );
      return 0;
    }
    default:
      throw new CardfleetError('CLI_USAGE', `unknown command encodings ${action}`);
  }
}

/** `berlin;paris,rome;*` → [["berlin"], ["paris", "rome"], ["*"]]; the API checks the names. */
export function parseStages(text: string): string[][] {
  const stages = text.split(';').map((stage) =>
    stage
      .split(',')
      .map((office) => office.trim())
      .filter(Boolean),
  );
  if (stages.length === 0 || stages.some((s) => s.length === 0))
    throw new CardfleetError('CLI_USAGE', `--stages needs offices, e.g. "berlin;*", not "${text}"`, {
      details: { hint: 'see: cardfleet encodings release --help' },
    });
  return stages;
}

function positive(version: string | undefined): string {
  if (version === undefined || !/^[1-9]\d*$/.test(version))
    throw new CardfleetError('CLI_USAGE', `a version is a positive integer, not "${version ?? ''}"`);
  return version;
}

/** One line: where a release stands, what it counted, why it halted. */
function describe(r: Release): string {
  const stage = `stage ${r.stage + 1}/${r.stages.length} (${r.offices.join(', ')})`;
  const counts = `${r.counts.failed}/${r.counts.counted} failed`;
  const halt = r.state === 'HALTED' && r.halt ? `  HALTED by ${r.halt.by}: ${r.halt.reason}` : '';
  return `${r.encodingId} v${r.version}  ${r.state}  ${stage}  ${counts}${halt}`;
}
