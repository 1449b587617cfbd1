import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud, pushExample } from '../../../test/support/test-cloud';
import { main } from './main';

describe('cardfleet batches start|show|stop', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  const csv = join(mkdtempSync(join(tmpdir(), 'batch-cli-')), 'cards.csv');
  const run = async (sleep: () => Promise<void>, ...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      env: { CARDFLEET_API_URL: cloud.base, CARDFLEET_TOKEN: cloud.tokens.operatorBerlin },
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      sleep,
      fetch: cloud.fetch,
    });
    return { code, stdout, stderr };
  };
  const idle = async () => undefined;
  const start = (...more: string[]) =>
    run(
      idle,
      'batches',
      'start',
      '--agent',
      'agent-1',
      '--reader',
      'R0',
      '--encoding',
      'write-ef-gdo',
      '--csv',
      csv,
      ...more,
    );
  beforeEach(async () => {
    cloud = await memoryCloud();
    await pushExample(cloud, 'write-ef-gdo');
    await addEnrolledAgent(cloud, 'agent-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
    writeFileSync(csv, 'HELLO,WORLD\na,b\nc,d\n');
  });

  it('starts a batch and follows it card by card until it ends, with the progress line', async () => {
    const started = await start('--count', '2', '--json');
    expect(started.code).toBe(0);
    const { batchId } = JSON.parse(started.stdout);
    // Each look while following: the agent asks for the next card, which then succeeds.
    let card = 0;
    const agentWorks = async () => {
      card++;
      const jobId = String(
        await cloud.cloud.batch('agent-1', { batchId, cardIndex: card, at: new Date().toISOString() }),
      );
      await cloud.cloud.jobs.move(jobId, card === 2 ? 'FAILED' : 'SUCCEEDED', {
        cause: 'agent-result',
        by: 'agent:agent-1',
        attempt: 1,
      });
    };
    const followed = await run(agentWorks, 'batches', 'show', batchId, '--follow');
    expect(followed.stdout).toContain('card 1 of 2 — insert the next card (0 done, 0 failed)');
    expect(followed.stdout).toContain('card 2 of 2 — insert the next card (1 done, 0 failed)');
    expect(followed.stdout).toContain('batch completed (all 2 cards ended): 1 done, 1 failed');
    expect(followed.code).toBe(1); // a card failed
  });

  it('stops a batch, and refuses a start with neither --count nor --until-stopped, or a CSV that does not fit', async () => {
    const { batchId } = JSON.parse((await start('--until-stopped', '--json')).stdout);
    const stopped = await run(idle, 'batches', 'stop', batchId);
    expect(stopped).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`batch ${batchId} STOPPED (stopped by otto)`),
    });
    expect((await start()).code).toBe(2);
    writeFileSync(csv, 'HELLO,NAME\na,b\n');
    const refused = await start('--count', '1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('column "NAME" is not a field of the encoding');
  });
});
