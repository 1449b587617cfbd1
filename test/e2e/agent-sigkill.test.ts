import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { PROCESS_AGENT, startSystem } from '../support/e2e-system';

// The agent as its own process (`cardfleet-agent start`, enrolled with `cardfleet-agent
// enrol`), killed with SIGKILL while the card is in the middle of the script — no
// chance to clean up. Started again on the same state directory, it reports the job
// INTERRUPTED and does not run it again; an explicit retry runs it as attempt 2.
const root = join(import.meta.dirname, '../..');
const agentCli = join(root, 'edge-agent/bin/cardfleet-agent.mjs');

describe.each(['mosquitto', 'aedes'] as const)('agent killed with SIGKILL mid-script (%s)', (broker) => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let agent: ChildProcess | undefined;
  let config = '';
  const state = mkdtempSync(join(tmpdir(), 'cardfleet-process-agent-'));
  beforeAll(async () => {
    system = await startSystem({ broker });
    const { enrolmentCode } = await system.api<{ enrolmentCode: string }>(
      'POST',
      '/v1/agents',
      system.cloud.tokens.admin,
      { id: PROCESS_AGENT, office: 'berlin' },
    );
    // The code alone names the agent: `cardfleet-agent enrol --api URL --code CODE`.
    const enrolled = await promisify(execFile)('node', [
      agentCli,
      'enrol',
      '--api',
      system.cloud.base,
      '--code',
      enrolmentCode,
      '--state',
      state,
    ]);
    expect(enrolled.stdout).toContain(`enrolled ${PROCESS_AGENT} with ${system.cloud.base}`);
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
    const child = spawn('node', [agentCli, 'start', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent = child;
    let output = '';
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
  type JobView = { state: string; attempt: number; result?: { error?: { code: string } } };

  it('reports INTERRUPTED after the restart, runs nothing again, and runs an explicit retry as attempt 2', async () => {
    const { api, cloud, until } = system;
    const first = await startProcess();
    const card = system.holdNextAnswer();
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
      agentId: PROCESS_AGENT,
      encodingId: 'read-version',
    });
    await publishJob(system.publication(), jobId);
    await until('the first APDU to reach the card', () => card.commands() === 1);
    first.kill('SIGKILL');
    expect(await new Promise((r) => first.once('exit', (_code, signal) => r(signal)))).toBe('SIGKILL');
    card.release();
    // The journal (fsynced before the first card operation) shows the job started, unfinished.
    expect(new JobLedger(join(state, 'ledger.jsonl')).unfinished()).toEqual([`${jobId}:1`]);
    expect(card.commands()).toBe(1);

    await startProcess();
    const interrupted = await system.jobIn<JobView>(jobId, 'INTERRUPTED');
    expect(interrupted.result?.error?.code).toBe('AGENT_RESTARTED');
    await new Promise((r) => setTimeout(r, 300));
    expect(card.commands()).toBe(1); // not run again

    const retried = await api<{ attempt: number }>(
      'POST',
      `/v1/jobs/${jobId}/retry`,
      cloud.tokens.operatorBerlin,
    );
    expect(retried.attempt).toBe(2);
    await publishJob(system.publication(), jobId);
    expect((await system.jobIn<JobView>(jobId, 'SUCCEEDED')).attempt).toBe(2);
    expect(card.commands()).toBe(3);
  });
});
