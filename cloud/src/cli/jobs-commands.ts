import { CardfleetError } from '@cardfleet/shared';
import { type OptionValues, readFieldsFile } from '@cardfleet/shared/node';
import type { ApiClient } from './api-client';
import type { CliIo } from './cli-io';
import { type FollowedJob, ProgressDisplay } from './progress-display';
import { type FailureView, reasonLines } from './progress-failure';
import { followJob } from './progress-follow';

export { reasonLines } from './progress-failure';

/** `cardfleet jobs …` over /v1/jobs (docs/cloud.md, "API"). */
type Print = (human: string, data: unknown) => void;
type JobView = FollowedJob & {
  agentId: string;
  encoding: { id: string; version: number };
  history: { state: string; at: string }[];
  result?: FailureView;
};

const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);

export async function jobsCommand(
  action: string,
  target: string | undefined,
  values: OptionValues,
  api: ApiClient,
  io: CliIo,
  print: Print,
): Promise<number> {
  const id = encodeURIComponent(target ?? '');
  // Each state change and the agent's progress as it goes (not with --json: machine output only).
  const wait = async (jobId: string) => {
    const display = values.json ? undefined : new ProgressDisplay(io.stdout, io.isTTY ?? false);
    try {
      return await followJob<JobView>(api, jobId, {
        timeoutMs: Number(values.timeout) * 1000,
        sleep: io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        now: io.now ?? Date.now,
        ...(display ? { onView: (job: JobView) => display.show(job) } : {}),
      });
    } finally {
      display?.end();
    }
  };
  switch (action) {
    case 'run': {
      const fields = values.fields ? readFieldsFile(String(values.fields)) : {};
      const version = text(values['encoding-version']);
      const reader = text(values.reader);
      const body = {
        agentId: values.agent,
        encodingId: values.encoding,
        fields,
        ...(version ? { version: Number(version) } : {}),
        ...(reader ? { reader } : {}),
      };
      const created = (await api.request('POST', '/v1/jobs', body)).json as { jobId: string; state: string };
      if (!values.wait) {
        print(`job ${created.jobId} ${created.state}`, created);
        return 0;
      }
      const job = await wait(created.jobId);
      print(`job ${created.jobId} ${job.state}${reasonLines(job)}`, job);
      return job.state === 'SUCCEEDED' ? 0 : 1;
    }
    case 'list': {
      const query = new URLSearchParams();
      for (const [option, param] of [
        ['office', 'office'],
        ['agent', 'agentId'],
        ['state', 'state'],
        ['card', 'cardSerial'],
        ['limit', 'limit'],
        ['cursor', 'cursor'],
      ] as const) {
        const value = text(values[option]);
        if (value) query.set(param, value);
      }
      const page = (await api.request('GET', `/v1/jobs${query.size ? `?${query}` : ''}`)).json as {
        items: JobView[];
        nextCursor?: string;
      };
      const lines = page.items.map(
        (j) => `${j.jobId}  ${j.state}  ${j.encoding.id} v${j.encoding.version}  ${j.agentId}`,
      );
      if (page.nextCursor) lines.push(`more: --cursor ${page.nextCursor}`);
      print(lines.join('\n') || 'no jobs', page);
      return 0;
    }
    case 'show': {
      const job = values.follow
        ? await wait(target ?? '')
        : ((await api.request('GET', `/v1/jobs/${id}`)).json as JobView);
      const history = job.history.map((h) => `  ${h.at}  ${h.state}`).join('\n');
      print(
        `job ${job.jobId}: ${job.state} — ${job.encoding.id} v${job.encoding.version} on ${job.agentId}${reasonLines(job)}\n${history}`,
        job,
      );
      return values.follow && job.state !== 'SUCCEEDED' ? 1 : 0;
    }
    case 'retry':
    case 'cancel': {
      const { json } = await api.request('POST', `/v1/jobs/${id}/${action}`);
      const answer = json as { jobId: string; state: string; attempt?: number; cancelRequested?: boolean };
      if (action === 'retry' && values.wait) {
        const job = await wait(answer.jobId);
        print(`job ${answer.jobId} attempt ${answer.attempt ?? '?'} ${job.state}${reasonLines(job)}`, job);
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
    default:
      throw new CardfleetError('CLI_USAGE', `unknown command jobs ${action}`);
  }
}
