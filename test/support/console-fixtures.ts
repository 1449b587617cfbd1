import { expect } from 'vitest';
import type { ConsoleStack } from './console-stack';
import { exampleFiles } from './test-cloud';

/**
 * Set-up the console's browser tests do through the API, as the CLI would: an example
 * encoding pushed by the admin, approved by the second admin and released to the office
 * (docs/releases.md), and a job run to its end.
 */
export async function pushAndRelease(stack: ConsoleStack, example: string): Promise<number> {
  const pushed = await stack.api('POST', '/v1/encodings', 'admin', {
    id: example,
    files: exampleFiles(example),
  });
  expect(pushed.status, `push ${example}`).toBe(201);
  const { version } = (await pushed.json()) as { version: number };
  const base = `/v1/encodings/${example}/versions/${version}`;
  expect((await stack.api('POST', `${base}/approve`, 'admin2', {})).status, 'approve').toBeLessThan(300);
  const released = await stack.api('POST', `${base}/releases`, 'admin', { stages: [[stack.office]] });
  expect(
    released.status,
    `release: ${released.status === 201 ? '' : await released.clone().text()}`,
  ).toBeLessThan(300);
  return version;
}

export interface FinishedJob {
  jobId: string;
  state: string;
  result?: { cardSerial?: string } & Record<string, unknown>;
}

/** A job created by the operator and waited for until it ends (polling the API). */
export async function runJob(
  stack: ConsoleStack,
  encodingId: string,
  fields: Record<string, string> = {},
): Promise<FinishedJob> {
  const created = await stack.api('POST', '/v1/jobs', 'operator', {
    agentId: stack.agentId,
    encodingId,
    fields,
  });
  expect(created.status, `create job: ${await created.clone().text()}`).toBeLessThan(300);
  const { jobId } = (await created.json()) as { jobId: string };
  let job: FinishedJob = { jobId, state: 'QUEUED' };
  await expect
    .poll(
      async () => {
        job = (await (await stack.api('GET', `/v1/jobs/${jobId}`, 'operator')).json()) as FinishedJob;
        return job.state;
      },
      { timeout: 60_000, interval: 250 },
    )
    .toMatch(/^(SUCCEEDED|FAILED|CANCELED|TIMED_OUT|INTERRUPTED)$/);
  return job;
}
