import { CardfleetError, relayedErrorCode } from '@cardfleet/shared';
import type { ConsoleAccess, PendingPins } from '../console/console-schemas';
import { ConsoleErrorSchema, PendingListSchema } from '../console/console-schemas';
import type { Prompter } from '../runner/prompter';
import type { CliIo } from './cli-io';

/**
 * `cardfleet-agent prompt`: answers the running daemon's PIN requests from a terminal,
 * through the same loopback console API the browser page uses. Waits for requests
 * (polling); a rule or confirmation error is shown and asked again while the request
 * is still pending; Ctrl-C at a prompt cancels that request. `once` stops after one
 * answered (or cancelled) request.
 */
export async function promptCommand(
  access: ConsoleAccess,
  prompter: Prompter,
  io: CliIo,
  options: { once: boolean; pollMs?: number; signal?: AbortSignal },
): Promise<number> {
  const headers = { authorization: `Bearer ${access.token}`, 'content-type': 'application/json' };
  const call = async (path: string, body?: unknown) => {
    const res = await fetch(new URL(path, access.url), {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 204) return undefined;
    const json: unknown = await res.json();
    if (res.ok) return json;
    const problem = ConsoleErrorSchema.safeParse(json);
    throw new CardfleetError(
      relayedErrorCode(problem.success ? problem.data.error.code : undefined, 'CONSOLE_ERROR'),
      problem.success ? problem.data.error.message : `the console answered ${res.status}`,
    );
  };
  io.stderr(`waiting for PIN requests from the agent at ${access.url} — stop with Ctrl-C\n`);
  while (!options.signal?.aborted) {
    const { pending } = PendingListSchema.parse(await call('/api/pending'));
    const next = pending[0];
    if (!next) {
      await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
      continue;
    }
    await answer(next, prompter, io, call);
    if (options.once) return 0;
  }
  return 0;
}

async function answer(
  request: PendingPins,
  prompter: Prompter,
  io: CliIo,
  call: (path: string, body?: unknown) => Promise<unknown>,
): Promise<void> {
  io.stderr(
    `\nPIN request for job ${request.jobId ?? '?'} on reader "${request.reader ?? '?'}" (answer before ${request.expiresAt})\n`,
  );
  for (;;) {
    let entries: Awaited<ReturnType<Prompter['askPins']>>;
    try {
      entries = await prompter.askPins(
        request.application,
        request.requests.map((r) => ({ ...r, rule: r.rule })),
      );
    } catch (error) {
      if (error instanceof CardfleetError && error.code === 'PIN_CANCELLED') {
        await call(`/api/pending/${request.id}/cancel`, {}).catch(() => undefined);
        io.stderr('cancelled; the job fails without touching the card\n');
        return;
      }
      throw error;
    }
    try {
      await call(`/api/pending/${request.id}/answer`, { entries });
      io.stderr('sent to the agent\n');
      return;
    } catch (error) {
      if (!(error instanceof CardfleetError) || error.code === 'PIN_REQUEST_UNKNOWN') throw error;
      io.stderr(`${error.message}; try again\n`);
    }
  }
}
