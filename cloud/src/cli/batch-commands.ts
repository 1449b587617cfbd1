import { readFileSync } from 'node:fs';
import { type BatchView, CardfleetError } from '@cardfleet/shared';
import type { CommandSpec, OptionSpec, OptionValues } from '@cardfleet/shared/node';
import { progressLine } from '../batches/batch-progress';
import type { ApiClient } from './api-client';
import type { CliIo } from './cli-io';

/**
 * `cardfleet batches start|show|stop` over /v1/batches (docs/batches.md). `--follow`
 * prints a progress line whenever the batch moves — "card 7 of 50 — insert the next
 * card" — until it ends; the exit code is 1 when a card failed or the batch halted.
 */
type Print = (human: string, data: unknown) => void;

const str = (value: string, help: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  type: 'string',
  value,
  help,
  ...extra,
});
const FOLLOW = {
  follow: {
    type: 'boolean',
    help: 'print progress until the batch ends (exit 1 if a card failed)',
    default: false,
  },
  interval: str('S', 'seconds between looks with --follow', { number: 'positive', default: '2' }),
} as const satisfies Record<string, OptionSpec>;

export const BATCH_COMMANDS: CommandSpec[] = [
  {
    path: 'batches start',
    summary: 'start a batch of cards on one agent and reader, per-card fields from a CSV',
    details: 'The CSV: a header of field names, then one row per card (card n on row n).',
    options: {
      agent: str('ID', 'the agent', { required: true }),
      reader: str('NAME', 'the reader the cards go into', { required: true }),
      encoding: str('ID', 'the encoding', { required: true }),
      'encoding-version': str('N', 'the encoding version (default latest)', { number: 'positive-integer' }),
      count: str('N', 'how many cards (or --until-stopped)', { number: 'positive-integer' }),
      'until-stopped': { type: 'boolean', help: 'cards until `batches stop`', default: false },
      csv: str('FILE', 'the per-card fields', { required: true }),
      'stop-after': str('K', 'halt after K failed cards in a row (default 3)', {
        number: 'positive-integer',
      }),
      ...FOLLOW,
    },
  },
  {
    path: 'batches show',
    args: '<id>',
    minArgs: 1,
    summary: 'done / failed / remaining, cards per hour',
    options: FOLLOW,
  },
  { path: 'batches stop', args: '<id>', minArgs: 1, summary: 'stop a batch: no further card gets a job' },
];

export async function batchesCommand(
  action: string,
  target: string | undefined,
  values: OptionValues,
  api: ApiClient,
  io: CliIo,
  print: Print,
): Promise<number> {
  const show = async (id: string) =>
    (await api.request('GET', `/v1/batches/${encodeURIComponent(id)}`)).json as BatchView;
  let view: BatchView;
  switch (action) {
    case 'start': {
      const count = typeof values.count === 'string' ? Number(values.count) : undefined;
      if ((count === undefined) === (values['until-stopped'] !== true))
        throw new CardfleetError('CLI_USAGE', 'give either --count N or --until-stopped');
      const version = values['encoding-version'];
      const stopAfter = values['stop-after'];
      view = (
        await api.request('POST', '/v1/batches', {
          agentId: values.agent,
          reader: values.reader,
          encodingId: values.encoding,
          ...(typeof version === 'string' ? { version: Number(version) } : {}),
          ...(count === undefined ? { untilStopped: true } : { count }),
          csv: readCsv(String(values.csv)),
          ...(typeof stopAfter === 'string' ? { stopAfterConsecutiveFailures: Number(stopAfter) } : {}),
        })
      ).json as BatchView;
      break;
    }
    case 'show':
      view = await show(target ?? '');
      break;
    case 'stop':
      view = (await api.request('POST', `/v1/batches/${encodeURIComponent(target ?? '')}/stop`))
        .json as BatchView;
      break;
    default:
      throw new CardfleetError('CLI_USAGE', `unknown command batches ${action}`);
  }
  if (values.follow === true && view.state === 'RUNNING') {
    const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last = '';
    for (;;) {
      const line = progressLine(view);
      if (line !== last && !values.json) io.stdout(`${line}\n`);
      last = line;
      if (view.state !== 'RUNNING') break;
      await sleep(Number(values.interval) * 1000);
      view = await show(view.batchId);
    }
  }
  print(summary(view), view);
  return view.state === 'HALTED' || view.failed > 0 ? 1 : 0;
}

function summary(view: BatchView): string {
  const cards = view.cards.map(
    (c) => `  card ${c.index}  ${c.state}${c.serial ? `  ${c.serial}` : ''}  job ${c.jobId}`,
  );
  return [
    `batch ${view.batchId} ${view.state}${view.reason ? ` (${view.reason})` : ''}`,
    `  ${view.done} done, ${view.failed} failed${view.remaining === undefined ? '' : `, ${view.remaining} remaining`}, ${view.cardsPerHour} cards/hour`,
    `  ${progressLine(view)}`,
    ...cards,
  ].join('\n');
}

function readCsv(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CardfleetError('FILE_UNREADABLE', `cannot read ${path}`, { cause });
  }
}
