import type { Job, JobStore } from '../../cloud/src/jobs/job-store';

/** A job for agent-1 in berlin, created by otto (store-level tests). */
export function createSampleJob(jobs: JobStore): Promise<Job> {
  return jobs.create(
    {
      agentId: 'agent-1',
      office: 'berlin',
      encoding: { id: 'e', version: 1, sha256: 'a'.repeat(64) },
      secretFieldNames: [],
      fields: {},
    },
    'otto',
  );
}
