import { describe, expect, it } from 'vitest';
import { memoryCloud, pushExample } from '../../../test/support/test-cloud';
import { AuditLog } from '../audit/audit-log';
import { EncodingStore } from '../encodings/encoding-store';
import { JobStore } from '../jobs/job-store';
import { keys } from './table-design';

/**
 * The attack (docs/security.md, "Someone with write access to the table but not the
 * keys"): copying a sealed value to another item or attribute, so that the cloud opens
 * it there — a job's secrets sent with another job, one encoding's bundle signed as
 * another's. Sealed values are bound to their item key and field, so the copy does not
 * open: a typed error, no plaintext.
 */
describe('a sealed value copied by a table writer', () => {
  const PIN = '31415926';
  const setup = async () => {
    const test = await memoryCloud();
    const { table, keyWrapper, cloud } = test;
    // A fresh instance reads: nothing it holds in memory hides what the table says.
    const audit = new AuditLog(table, test.signer, keyWrapper);
    const now = () => new Date().toISOString();
    return {
      test,
      table,
      cloud,
      jobs: new JobStore(table, keyWrapper, audit, now),
      encodings: new EncodingStore(table, keyWrapper, audit, now),
    };
  };
  const newJob = (jobs: JobStore, pin: string) =>
    jobs.create(
      {
        agentId: 'agent-1',
        office: 'berlin',
        encoding: { id: 'e', version: 1, sha256: 'a'.repeat(64) },
        secretFieldNames: ['PIN'],
        fields: { PIN: pin, NAME: 'n' },
      },
      'otto',
    );

  it("does not open as another job's secrets", async () => {
    const { table, cloud, jobs } = await setup();
    const a = await newJob(cloud.jobs, PIN);
    const b = await newJob(cloud.jobs, '00000000');
    expect(await jobs.unsealedSecrets(a.jobId)).toEqual({ PIN });

    const itemA = await table.get(keys.job(a.jobId));
    const itemB = await table.get(keys.job(b.jobId));
    await table.put({ ...(itemB ?? {}), secrets: String(itemA?.secrets) });
    const opening = jobs.unsealedSecrets(b.jobId);
    await expect(opening).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(opening).rejects.not.toThrow(PIN);
  });

  it("does not open as another encoding version's bundle, nor a job's secrets as a bundle", async () => {
    const { test, table, cloud, encodings } = await setup();
    await pushExample(test, 'read-serial');
    await pushExample(test, 'read-version');
    expect(await cloud.encodings.sealedBundle('read-serial', 1)).toBeDefined();

    const serial = await table.get(keys.encodingVersion('read-serial', 1));
    const version = await table.get(keys.encodingVersion('read-version', 1));
    await table.put({ ...(version ?? {}), sealed: String(serial?.sealed) });
    await expect(encodings.sealedBundle('read-version', 1)).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });

    const job = await newJob(cloud.jobs, PIN);
    const jobItem = await table.get(keys.job(job.jobId));
    await table.put({ ...(serial ?? {}), sealed: String(jobItem?.secrets) });
    const opening = encodings.sealedBundle('read-serial', 1);
    await expect(opening).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(opening).rejects.not.toThrow(PIN);
  });
});
