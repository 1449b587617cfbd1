import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { DRY_RUN_READER } from '../../edge-agent/src/daemon/dry-run-target';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { AGENT, startSystem } from '../support/e2e-system';

/**
 * A dry run end to end (docs/security.md, "Dry runs"): an admin tries a draft that no
 * office runs yet; the signed job goes to the agent, which runs it on its in-process
 * dry-run card — the card in the vpcd reader gets not one APDU — and the result comes
 * back with its APDU trace, shown and audited as a dry run. A job without the flag still
 * runs on the reader's card.
 */
const examples = join(import.meta.dirname, '../../examples');

describe('a dry run end to end: API → signed dry-run envelope → agent → in-process dry-run card → result', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  beforeAll(async () => {
    system = await startSystem({
      // Enforced: read-version is a draft that no office may run; only the admin's dry run may.
      releaseGate: 'enforced',
      agent: { dryRunCard: () => loadCardProfile(join(examples, 'cards/cardos.json')) },
    });
    await system.until(
      'the agent to announce its dry-run card',
      async () => (await system.cloud.cloud.agents.get(AGENT))?.presence?.dryRunCard === true,
    );
  });
  afterAll(() => system.close());

  type JobView = {
    state: string;
    dryRun?: boolean;
    result?: {
      card?: { reader: string; atr: string };
      applications: {
        apdus: { line: number; command: string; sw: string }[];
        outputs: Record<string, string>;
      }[];
    };
  };

  it('runs a draft on the dry-run card with its APDU trace, and not one APDU reaches the reader', async () => {
    const { api, cloud } = system;
    const before = system.counter.apdus;
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.admin, {
      agentId: AGENT,
      encodingId: 'read-version',
      dryRun: true,
    });
    await publishJob(system.publication(), jobId);
    const job = await system.jobIn<JobView>(jobId, 'SUCCEEDED', 'FAILED');
    expect(job).toMatchObject({ state: 'SUCCEEDED', dryRun: true });
    expect(job.result?.card).toMatchObject({ reader: DRY_RUN_READER, atr: '3BD218008131FE58C90217' });
    expect(job.result?.applications[0]?.apdus.map((a) => [a.line, a.command, a.sw])).toEqual([
      [2, '00CA018202', '9000'],
      [3, '00CA0188FF', '9000'],
    ]);
    expect(job.result?.applications[0]?.outputs.CARDOS_VERSION).toBe('C903');
    expect(system.counter.apdus).toBe(before);
    await system.until('the dry run audited as such', async () => {
      const audit = await api<{ items: { action: string; details?: Record<string, unknown> }[] }>(
        'GET',
        `/v1/audit?agentId=${AGENT}&limit=1000`,
        cloud.tokens.auditor,
      );
      return audit.items.some(
        (e) => e.action === 'job.result' && e.details?.jobId === jobId && e.details?.dryRun === true,
      );
    });
  });

  it('still runs a job without the flag on the card in the reader', async () => {
    const { api, cloud } = system;
    const before = system.counter.apdus;
    const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.admin, {
      agentId: AGENT,
      encodingId: 'read-version',
    });
    await publishJob(system.publication(), jobId);
    const job = await system.jobIn<JobView>(jobId, 'SUCCEEDED', 'FAILED');
    expect(job.state).toBe('SUCCEEDED');
    expect(job.dryRun).toBeUndefined();
    expect(job.result?.card?.reader).not.toBe(DRY_RUN_READER);
    expect(system.counter.apdus).toBeGreaterThan(before);
  });
});
