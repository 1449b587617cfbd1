import type { ProgressEvent } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createSampleJob } from '../../../test/support/sample-job';
import { addEnrolledAgent, memoryCloud, pushExample } from '../../../test/support/test-cloud';
import {
  followEventStream,
  type ServerSentEvent,
  type StreamFetch,
} from '../../console/src/api/event-stream';
import type { LiveSettings } from './live-composition';

type Cloud = Awaited<ReturnType<typeof memoryCloud>>;
// biome-ignore lint/suspicious/noExplicitAny: event bodies are checked field by field below
const parsed = (event: ServerSentEvent): any => JSON.parse(event.data);

/** Follows `path` with the console's client until the server says stop (or `signal` aborts). */
function follow(
  cloud: Cloud,
  path: string,
  token: string,
  options: { lastEventId?: string; signal?: AbortSignal } = {},
) {
  const events: ServerSentEvent[] = [];
  const done = followEventStream({
    url: path,
    fetch: cloud.fetch as unknown as StreamFetch,
    headers: () => ({ authorization: `Bearer ${token}` }),
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { events, done };
}

/** Reads a raw answer's text until `until` matches it or the stream ends. */
async function readUntil(response: Response, until: (text: string) => boolean): Promise<string> {
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) return text;
    text += decoder.decode(chunk.value, { stream: true });
    if (until(text)) {
      await reader?.cancel();
      return text;
    }
  }
}

const progress = (jobId: string, seq: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
  jobId,
  attempt: 1,
  application: 'Application_1',
  applicationIndex: 0,
  applicationCount: 1,
  apdusDone: seq * 2,
  apdusTotal: 9,
  seq,
  at: new Date().toISOString(),
  ...extra,
});

const FAST: LiveSettings = { retryMs: 5, heartbeatMs: 40 };

describe('GET /v1/jobs/{id}/events', () => {
  let cloud: Cloud;
  let jobId: string;
  const events = (id = jobId) => `/v1/jobs/${id}/events`;
  const moveBy = (to: 'SENT' | 'SUCCEEDED') =>
    to === 'SENT'
      ? cloud.cloud.jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' })
      : cloud.cloud.jobs.move(jobId, to, { cause: 'agent-result', by: 'agent:agent-1', attempt: 1 });

  beforeEach(async () => {
    cloud = await memoryCloud({ live: FAST });
    jobId = (await createSampleJob(cloud.cloud.jobs)).jobId;
  });

  it('refuses an operator of another office, an agent, no token and an unknown job, as GET does', async () => {
    const answer = async (token: string | undefined, id = jobId) =>
      (await cloud.call('GET', events(id), token ? { token } : {})).status;
    expect(await answer(cloud.tokens.operatorParis)).toBe(403);
    expect(await answer(cloud.tokens.agent)).toBe(403);
    expect(await answer(undefined)).toBe(401);
    expect(await answer(cloud.tokens.admin, 'no-such-job')).toBe(404);
    expect((await cloud.call('GET', `/v1/jobs/${jobId}`, { token: cloud.tokens.operatorParis })).status).toBe(
      403,
    );
  });

  it('sends the job as GET answers it first, then each change in order, and ends after the end state', async () => {
    const { events: seen, done } = follow(cloud, events(), cloud.tokens.operatorBerlin);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const shown = await (
      await cloud.call('GET', `/v1/jobs/${jobId}`, { token: cloud.tokens.operatorBerlin })
    ).json();
    expect(seen[0]?.type).toBe('job');
    expect(parsed(seen[0] as ServerSentEvent)).toEqual(shown);

    const steps: (() => Promise<unknown>)[] = [
      () => moveBy('SENT'),
      () => cloud.cloud.progress('agent-1', progress(jobId, 1)),
      () => cloud.cloud.progress('agent-1', progress(jobId, 2, { phase: 'waiting-for-pin' })),
      () => cloud.cloud.progress('agent-1', progress(jobId, 3)),
      () => moveBy('SUCCEEDED'),
    ];
    for (const [n, step] of steps.entries()) {
      await step();
      await vi.waitFor(() => expect(seen).toHaveLength(n + 2));
    }
    await done; // the stream ended, and the reconnect was answered 204
    const bodies = seen.map(parsed);
    expect(bodies.map((job) => job.state)).toEqual([
      'QUEUED',
      'SENT',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'SUCCEEDED',
    ]);
    expect(bodies.slice(2, 5).map((job) => [job.progress.seq, job.progress.phase])).toEqual([
      [1, 'running'],
      [2, 'waiting-for-pin'],
      [3, 'running'],
    ]);
    const ids = seen.map((event) => Number(event.lastEventId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not replay to a reconnect that names the last event, and sends it the next change', async () => {
    const first = follow(cloud, events(), cloud.tokens.auditor);
    await vi.waitFor(() => expect(first.events).toHaveLength(1));
    const lastEventId = first.events[0]?.lastEventId as string;
    const controller = new AbortController();
    const again = follow(cloud, events(), cloud.tokens.auditor, { lastEventId, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(again.events).toEqual([]);
    await moveBy('SENT');
    await vi.waitFor(() => expect(again.events).toHaveLength(1));
    expect(parsed(again.events[0] as ServerSentEvent).state).toBe('SENT');
    expect(Number(again.events[0]?.lastEventId)).toBeGreaterThan(Number(lastEventId));
    controller.abort();
    await again.done;
    await moveBy('SUCCEEDED');
    await first.done;
  });

  it('answers 204 to a reconnect after the end state it already had, so clients stop', async () => {
    await moveBy('SENT');
    await moveBy('SUCCEEDED');
    const ended = follow(cloud, events(), cloud.tokens.admin);
    await ended.done;
    expect(ended.events.map((event) => parsed(event).state)).toEqual(['SUCCEEDED']);
    const response = await cloud.fetch(events(), {
      headers: {
        authorization: `Bearer ${cloud.tokens.admin}`,
        'last-event-id': ended.events[0]?.lastEventId as string,
      },
    });
    expect(response.status).toBe(204);
  });

  it('keeps an idle stream alive with comment lines, after telling the client its retry delay', async () => {
    const response = await cloud.fetch(events(), {
      headers: { authorization: `Bearer ${cloud.tokens.admin}` },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await readUntil(response, (seen) => seen.includes(': keep-alive'));
    expect(text.startsWith('retry: 5\n\n')).toBe(true);
    expect(text).toContain('event: job\n');
    expect(text).toContain(': keep-alive\n\n');
  });
});

describe('GET /v1/jobs/{id}/events where answers are buffered (AWS Lambda)', () => {
  it('answers one event and closes, or holds an up-to-date client until the next change', async () => {
    const cloud = await memoryCloud({ live: { retryMs: 5, buffered: { holdMs: 2000 } } });
    const { jobId } = await createSampleJob(cloud.cloud.jobs);
    const ask = (lastEventId?: string) =>
      cloud.fetch(`/v1/jobs/${jobId}/events`, {
        headers: {
          authorization: `Bearer ${cloud.tokens.admin}`,
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      });
    const snapshot = await (await ask()).text();
    expect(snapshot.match(/event: job/g)).toHaveLength(1);
    const id = /id: (\d+)/.exec(snapshot)?.[1] as string;
    const held = ask(id);
    setTimeout(() => void cloud.cloud.jobs.move(jobId, 'SENT', { cause: 'publisher', by: 'cloud' }), 50);
    const next = await (await held).text();
    expect(next.match(/event: job/g)).toHaveLength(1);
    expect(next).toContain('"state":"SENT"');
    expect(Number(/id: (\d+)/.exec(next)?.[1])).toBeGreaterThan(Number(id));
  });
});

describe('GET /v1/batches/{id}/events', () => {
  it("sends the batch view on each card's change and ends when the batch ends", async () => {
    const cloud = await memoryCloud({ live: FAST });
    await pushExample(cloud, 'write-ef-gdo');
    await addEnrolledAgent(cloud, 'agent-berlin-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
    const started = await cloud.call('POST', '/v1/batches', {
      token: cloud.tokens.operatorBerlin,
      body: {
        agentId: 'agent-berlin-1',
        reader: 'Reader 0',
        encodingId: 'write-ef-gdo',
        count: 2,
        csv: 'HELLO,WORLD\nanna,one\nbert,two\n',
      },
    });
    const { batchId } = (await started.json()) as { batchId: string };
    const path = `/v1/batches/${batchId}/events`;
    expect((await cloud.call('GET', path, { token: cloud.tokens.operatorParis })).status).toBe(403);

    const { events: seen, done } = follow(cloud, path, cloud.tokens.operatorBerlin);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const card = async (index: number, end: 'SUCCEEDED' | 'FAILED') => {
      const jobId = String(
        await cloud.cloud.batch('agent-berlin-1', {
          batchId,
          cardIndex: index,
          at: new Date().toISOString(),
        }),
      );
      await vi.waitFor(() => expect(parsed(seen.at(-1) as ServerSentEvent).running).toBe(1));
      await cloud.cloud.jobs.move(jobId, end, {
        cause: 'agent-result',
        by: 'agent:agent-berlin-1',
        attempt: 1,
      });
    };
    await card(1, 'SUCCEEDED');
    await vi.waitFor(() => expect(parsed(seen.at(-1) as ServerSentEvent).done).toBe(1));
    await card(2, 'FAILED');
    await done;
    const views = seen.map(parsed);
    expect(views[0]).toMatchObject({ state: 'RUNNING', done: 0, failed: 0, remaining: 2 });
    expect(views.at(-1)).toMatchObject({ state: 'COMPLETED', done: 1, failed: 1, remaining: 0 });
    expect(views.at(-1).cards.map((c: { state: string }) => c.state)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(seen.every((event) => event.type === 'batch')).toBe(true);
  });
});
