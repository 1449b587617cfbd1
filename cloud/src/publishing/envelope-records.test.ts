import { describe, expect, it } from 'vitest';
import { MemoryTable } from '../storage/memory-table';
import { EnvelopeRecords } from './envelope-records';

describe('envelope records', () => {
  it('finds the job attempt an envelope carried by its sha256, and nothing for an unknown one', async () => {
    const envelopes = new EnvelopeRecords(new MemoryTable());
    const sent = { jobId: 'job-1', attempt: 2, agentId: 'agent-1' };
    await envelopes.record('ab'.repeat(32), sent);
    expect(await envelopes.find('ab'.repeat(32))).toEqual(sent);
    expect(await envelopes.find('cd'.repeat(32))).toBeUndefined();
  });

  it('gives each agent its own growing sequence, also to concurrent callers', async () => {
    const envelopes = new EnvelopeRecords(new MemoryTable());
    const taken = await Promise.all([1, 2, 3, 4].map(() => envelopes.nextSeq('agent-1')));
    expect([...taken].sort()).toEqual([1, 2, 3, 4]);
    expect(await envelopes.nextSeq('agent-2')).toBe(1);
    expect(await envelopes.nextSeq('agent-1')).toBe(5);
  });
});
