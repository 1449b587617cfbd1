import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import {
  BATCH_ENCODING,
  type BatchViewBody,
  batchEncodingFiles,
  insertBatchCard,
} from '../support/batch-cards';
import { PROCESS_AGENT, startSystem } from '../support/e2e-system';

/**
 * Batch, scenario 2 (docs/batches.md): the agent as its own process on a Mosquitto with
 * password and ACL files (the batch topic is in the rendered ACL), killed with SIGKILL
 * while card 4 holds its answer, and started again on the same state directory. Cards
 * 1–3 are not run again, card 4 is INTERRUPTED (and runs again only when the operator
 * retries it), and the batch goes on with card 5.
 */
const agentCli = join(import.meta.dirname, '../../edge-agent/bin/cardfleet-agent.mjs');
const APDUS_PER_CARD = 3;

describe('a batch survives the agent killed mid-card (Mosquitto, pcscd + vpcd)', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let agent: ChildProcess | undefined;
  let output = '';
  let config = '';
  const state = mkdtempSync(join(tmpdir(), 'cardfleet-batch-agent-'));
  beforeAll(async () => {
    system = await startSystem({ broker: 'own-mosquitto', publishOnQueue: true });
    await system.readers.remove(0);
    const pushed = await system.cloud.call('POST', '/v1/encodings', {
      token: system.cloud.tokens.admin,
      body: { id: BATCH_ENCODING, files: batchEncodingFiles },
    });
    expect(pushed.status).toBe(201);
    const { enrolmentCode } = await system.api<{ enrolmentCode: string }>(
      'POST',
      '/v1/agents',
      system.cloud.tokens.admin,
      {
        id: PROCESS_AGENT,
        office: 'berlin',
      },
    );
    await promisify(execFile)('node', [
      agentCli,
      'enrol',
      '--api',
      system.cloud.base,
      '--code',
      enrolmentCode,
      '--state',
      state,
    ]);
    config = join(state, 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({
        stateDirectory: state,
        mqttUrl: system.mqttUrl,
        ...system.agentBrokerConfig(state),
        reader: system.readers.reader,
      }),
    );
  });
  afterAll(async () => {
    if (agent && agent.exitCode === null && agent.signalCode === null) {
      agent.kill('SIGTERM');
      await new Promise((r) => agent?.once('exit', r));
    }
    await system.close();
  });

  const startProcess = async () => {
    output = '';
    const child = spawn('node', [agentCli, 'start', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('operator console')) resolve();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => reject(new Error(`the agent exited with ${code}: ${output}`)));
    });
    return child;
  };
  const line = (text: string) => system.until(`"${text}" in the agent's log`, () => output.includes(text));
  const view = (batchId: string) =>
    system.api<BatchViewBody>('GET', `/v1/batches/${batchId}`, system.cloud.tokens.operatorBerlin);
  const personalise = async (n: number, outcome = 'SUCCEEDED') => {
    await line(`card ${n} of 5 — insert the next card`);
    await insertBatchCard(system, n);
    await line(`card ${n} of 5: ${outcome} — remove the card`);
    await system.readers.remove(0);
  };

  it('runs no finished card again, reports the card it died on INTERRUPTED, and goes on with card 5', async () => {
    const first = await startProcess();
    const started = await system.api<BatchViewBody>(
      'POST',
      '/v1/batches',
      system.cloud.tokens.operatorBerlin,
      {
        agentId: PROCESS_AGENT,
        reader: system.readers.reader,
        encodingId: BATCH_ENCODING,
        count: 5,
        csv: 'HOLDER\nAda\nBea\nCid\nDan\nEve\n',
      },
    );
    for (const n of [1, 2, 3]) await personalise(n);
    expect(system.counter.apdus).toBe(3 * APDUS_PER_CARD);

    await line('card 4 of 5 — insert the next card');
    const card4 = system.holdNextAnswer();
    await insertBatchCard(system, 4);
    await system.until('card 4 to hold its first answer', () => card4.commands() === 1);
    first.kill('SIGKILL');
    expect(await new Promise((r) => first.once('exit', (_code, signal) => r(signal)))).toBe('SIGKILL');
    card4.release();
    const ledger = new JobLedger(join(state, 'ledger.jsonl'));
    const jobs = (await view(started.batchId)).cards.map((c) => c.jobId);
    expect(ledger.unfinished()).toEqual([`${jobs[3]}:1`]);

    await startProcess(); // card 4 is still in the reader
    await line('card 4 of 5: INTERRUPTED — remove the card');
    expect((await system.jobIn<{ state: string }>(String(jobs[3]), 'INTERRUPTED')).state).toBe('INTERRUPTED');
    await new Promise((r) => setTimeout(r, 300));
    expect(system.counter.apdus).toBe(3 * APDUS_PER_CARD + 1); // nothing ran again
    await system.readers.remove(0);
    // The station's console shows the same line as the agent's log.
    await line('card 5 of 5 — insert the next card');
    const access = JSON.parse(readFileSync(join(state, 'console.json'), 'utf8')) as {
      url: string;
      token: string;
    };
    const shown = await fetch(new URL('api/pending', access.url), {
      headers: { authorization: `Bearer ${access.token}` },
    });
    expect(((await shown.json()) as { batch?: string }).batch).toBe('card 5 of 5 — insert the next card');
    await personalise(5);
    await line('batch completed: all 5 cards ended');
    const ended = await view(started.batchId);
    expect(ended).toMatchObject({ state: 'COMPLETED', done: 4, failed: 1, remaining: 0 });
    expect(ended.cards.map((c) => c.state)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'INTERRUPTED',
      'SUCCEEDED',
    ]);
    expect(system.counter.apdus).toBe(4 * APDUS_PER_CARD + 1);
    for (const jobId of jobs.slice(0, 3))
      expect(new JobLedger(join(state, 'ledger.jsonl')).lookup(`${jobId}:2`)).toBeUndefined();

    // The operator puts card 4 back and retries it: only now does it run again.
    await insertBatchCard(system, 4);
    const retried = await system.api<{ attempt: number }>(
      'POST',
      `/v1/jobs/${jobs[3]}/retry`,
      system.cloud.tokens.operatorBerlin,
    );
    expect(retried.attempt).toBe(2);
    await system.jobIn(String(jobs[3]), 'SUCCEEDED');
    expect(await view(started.batchId)).toMatchObject({ done: 5, failed: 0 });
    expect(system.counter.apdus).toBe(5 * APDUS_PER_CARD + 1);
  });
});
