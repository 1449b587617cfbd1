import { exportJWK, generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { exampleFiles, memoryCloud } from '../../../test/support/test-cloud';
import { sweepTimedOutJobs } from '../jobs/timeouts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
const json = async (response: Response): Promise<any> => response.json();

/** change-key reads ADMIN_KEY (its CR key, a 16-byte 3DES key): a job without it is refused (JOB_FIELD_MISSING). */
const CHANGE_KEY_FIELDS = { ADMIN_KEY: '40'.repeat(16) };

/**
 * Every test starts from the same cloud: the encoding change-key, agent-paris-1
 * enrolled, agent-berlin-1 added but not enrolled (its code in `berlinCode`); a test
 * that needs Berlin enrolled says so with `enrolBerlin()`.
 */

describe('agents and jobs: enrolment and the role/office matrix', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  let berlinCode = '';
  const publicJwk = async () => {
    const { kty, crv, x, y } = await exportJWK((await generateKeyPair('ES256')).publicKey);
    return { kty, crv, x, y };
  };
  const enrolBerlin = async () => {
    const enrolled = await cloud.call('POST', '/v1/agents/agent-berlin-1/enrol', {
      body: { code: berlinCode, publicJwk: await publicJwk() },
    });
    expect(enrolled.status).toBe(200);
  };
  beforeEach(async () => {
    cloud = await memoryCloud();
    const { call, tokens } = cloud;
    expect(
      (
        await call('POST', '/v1/encodings', {
          token: tokens.admin,
          body: { id: 'change-key', files: exampleFiles('change-key') },
        })
      ).status,
    ).toBe(201);
    berlinCode = (
      await json(
        await call('POST', '/v1/agents', {
          token: tokens.admin,
          body: { id: 'agent-berlin-1', office: 'berlin' },
        }),
      )
    ).enrolmentCode;
    const paris = await json(
      await call('POST', '/v1/agents', {
        token: tokens.admin,
        body: { id: 'agent-paris-1', office: 'paris' },
      }),
    );
    expect(
      (
        await call('POST', '/v1/agents/agent-paris-1/enrol', {
          body: { code: paris.enrolmentCode, publicJwk: await publicJwk() },
        })
      ).status,
    ).toBe(200);
  });

  it('enrols an agent once with its code', async () => {
    const { call } = cloud;
    const { kty, crv, x, y } = await publicJwk();
    expect(
      (
        await call('POST', '/v1/agents/agent-berlin-1/enrol', {
          body: { code: 'wrong', publicJwk: { kty, crv, x, y } },
        })
      ).status,
    ).toBe(401);
    const enrolled = await call('POST', '/v1/agents/agent-berlin-1/enrol', {
      body: { code: berlinCode, publicJwk: { kty, crv, x, y } },
    });
    expect(enrolled.status).toBe(200);
    expect(await json(enrolled)).toMatchObject({ id: 'agent-berlin-1', state: 'ACTIVE' });
    const again = await call('POST', '/v1/agents/agent-berlin-1/enrol', {
      body: { code: berlinCode, publicJwk: { kty, crv, x, y } },
    });
    expect(again.status).toBe(401);
  });

  it('lets operators run jobs only for agents of their office, and hides secret fields', async () => {
    const { call, tokens } = cloud;
    await enrolBerlin();
    const secret = '00112233445566778899AABBCCDDEEFF';
    const created = await call('POST', '/v1/jobs', {
      token: tokens.operatorBerlin,
      body: {
        agentId: 'agent-berlin-1',
        encodingId: 'change-key',
        fields: { NEW_KEY: secret, ADMIN_KEY: secret, NOTE: 'visible' },
      },
    });
    expect(created.status).toBe(202);
    const { jobId, state } = await json(created);
    expect(state).toBe('QUEUED');
    const job = await json(await call('GET', `/v1/jobs/${jobId}`, { token: tokens.operatorBerlin }));
    expect(job).toMatchObject({
      agentId: 'agent-berlin-1',
      office: 'berlin',
      fields: { NOTE: 'visible' },
      secretFields: ['ADMIN_KEY', 'NEW_KEY'],
    });
    expect(JSON.stringify(job)).not.toContain(secret);
    // The Paris operator can neither see nor create Berlin jobs.
    expect((await call('GET', `/v1/jobs/${jobId}`, { token: tokens.operatorParis })).status).toBe(403);
    expect(
      (
        await call('POST', '/v1/jobs', {
          token: tokens.operatorParis,
          body: { agentId: 'agent-berlin-1', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
        })
      ).status,
    ).toBe(403);
    expect((await json(await call('GET', '/v1/jobs', { token: tokens.operatorParis }))).items).toEqual([]);
    expect((await json(await call('GET', '/v1/jobs', { token: tokens.auditor }))).items).toHaveLength(1);
    // Auditors read but do not act; agents use their own topics, not this API.
    expect(
      (
        await call('POST', '/v1/jobs', {
          token: tokens.auditor,
          body: { agentId: 'agent-berlin-1', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
        })
      ).status,
    ).toBe(403);
    expect((await call('GET', '/v1/jobs', { token: tokens.agent })).status).toBe(403);
    // Cancel before start.
    const canceled = await call('POST', `/v1/jobs/${jobId}/cancel`, { token: tokens.operatorBerlin });
    expect(await json(canceled)).toEqual({ jobId, state: 'CANCELED' });
    expect((await call('POST', `/v1/jobs/${jobId}/cancel`, { token: tokens.operatorBerlin })).status).toBe(
      409,
    );
  });

  it('shows operators only their office agents', async () => {
    const { call, tokens } = cloud;
    const berlin = await json(await call('GET', '/v1/agents', { token: tokens.operatorBerlin }));
    expect(berlin.items.map((a: { id: string }) => a.id)).toEqual(['agent-berlin-1']);
    const all = await json(await call('GET', '/v1/agents', { token: tokens.auditor }));
    expect(all.items).toHaveLength(2);
    expect(
      (
        await call('POST', '/v1/agents', {
          token: tokens.operatorBerlin,
          body: { id: 'x', office: 'berlin' },
        })
      ).status,
    ).toBe(403);
  });

  it('gives a revoked agent no new jobs', async () => {
    const { call, tokens } = cloud;
    expect((await call('POST', '/v1/agents/agent-paris-1/revoke', { token: tokens.admin })).status).toBe(200);
    const refused = await call('POST', '/v1/jobs', {
      token: tokens.operatorParis,
      body: { agentId: 'agent-paris-1', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
    });
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.message).toContain('revoked');
  });

  it('answers unknown ids with 404 and keeps the audit chain intact', async () => {
    const { call, tokens } = cloud;
    await enrolBerlin();
    // Some history for the chain: a job created and cancelled, an agent revoked.
    const { jobId } = await json(
      await call('POST', '/v1/jobs', {
        token: tokens.operatorBerlin,
        body: { agentId: 'agent-berlin-1', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
      }),
    );
    expect((await call('POST', `/v1/jobs/${jobId}/cancel`, { token: tokens.operatorBerlin })).status).toBe(
      200,
    );
    expect((await call('POST', '/v1/agents/agent-paris-1/revoke', { token: tokens.admin })).status).toBe(200);
    expect(
      (
        await call('POST', '/v1/jobs', {
          token: tokens.admin,
          body: { agentId: 'nope', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('POST', '/v1/jobs', {
          token: tokens.admin,
          body: { agentId: 'agent-berlin-1', encodingId: 'nope' },
        })
      ).status,
    ).toBe(404);
    const verify = await json(await call('GET', '/v1/audit/verify', { token: tokens.auditor }));
    expect(verify).toMatchObject({ ok: true });
    expect(verify.entries).toBeGreaterThanOrEqual(8);
  });

  it('lists and exports the audit trail, operators seeing only their office', async () => {
    const { call, tokens } = cloud;
    await enrolBerlin();
    const berlin = await json(await call('GET', '/v1/audit', { token: tokens.operatorBerlin }));
    expect(berlin.items.length).toBeGreaterThan(0);
    expect(berlin.items.every((e: { office: string }) => e.office === 'berlin')).toBe(true);
    expect((await call('GET', '/v1/audit?office=paris', { token: tokens.operatorBerlin })).status).toBe(403);
    const page = await json(await call('GET', '/v1/audit?limit=2', { token: tokens.auditor }));
    expect(page.items).toHaveLength(2);
    const next = await json(
      await call('GET', `/v1/audit?limit=2&cursor=${page.nextCursor}`, { token: tokens.auditor }),
    );
    // The next page goes on where the first stopped: no entry twice.
    const at = (e: { shard: number; seq: number }) => `${e.shard}/${e.seq}`;
    expect(next.items.length).toBeGreaterThan(0);
    expect(next.items.map(at)).not.toContain(at(page.items[1]));
    expect(next.items.map(at)).not.toContain(at(page.items[0]));
    const csv = await (
      await call('GET', '/v1/audit/export?format=csv&agentId=agent-berlin-1', { token: tokens.auditor })
    ).text();
    expect(csv.split('\n')[0]).toBe(
      'seq,at,actor,action,office,agentId,cardSerial,encodingId,encodingVersion,encodingSha256,details,prevHash,hash,shard',
    );
    expect(csv).toContain('agent.enrol');
    expect((await call('GET', '/v1/audit/export?format=csv', { token: tokens.operatorBerlin })).status).toBe(
      403,
    );
  });

  it('finds jobs by the card serial of their results, shows the result, and pages', async () => {
    const { call, tokens } = cloud;
    await enrolBerlin();
    // Another job, without a result: the card serial finds only the one above, and pages.
    await call('POST', '/v1/jobs', {
      token: tokens.operatorBerlin,
      body: { agentId: 'agent-berlin-1', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
    });
    const created = await json(
      await call('POST', '/v1/jobs', {
        token: tokens.operatorBerlin,
        body: { agentId: 'agent-berlin-1', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
      }),
    );
    await cloud.cloud.ingest({
      jobId: created.jobId,
      attempt: 1,
      agentId: 'agent-berlin-1',
      status: 'SUCCEEDED',
      finishedAt: new Date().toISOString(),
      card: {
        reader: 'Virtual PCD 00 00',
        atr: '3BD218008131FE58C90217',
        cardNames: [],
        tokenModel: 'IDPrime 940     ',
        tokenSerial: 'SERIAL-42       ',
      },
      applications: [
        { name: 'A', kind: 'apdu', status: 'SUCCEEDED', responseCodes: '9000,9000', outputs: {}, apdus: [] },
      ],
    });
    const bySerial = await json(
      await call('GET', '/v1/jobs?cardSerial=SERIAL-42', { token: tokens.auditor }),
    );
    expect(bySerial.items.map((j: { jobId: string }) => j.jobId)).toEqual([created.jobId]);
    const job = await json(await call('GET', `/v1/jobs/${created.jobId}`, { token: tokens.operatorBerlin }));
    expect(job).toMatchObject({
      state: 'SUCCEEDED',
      result: { applications: [{ responseCodes: '9000,9000' }] },
    });
    const first = await json(await call('GET', '/v1/jobs?limit=1', { token: tokens.auditor }));
    expect(first.items).toHaveLength(1);
    expect(typeof first.nextCursor).toBe('string');
  });

  it('retries only when a person asks, as a new attempt', async () => {
    const { call, tokens } = cloud;
    await enrolBerlin();
    const created = await json(
      await call('POST', '/v1/jobs', {
        token: tokens.operatorBerlin,
        body: { agentId: 'agent-berlin-1', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
      }),
    );
    expect(
      (await call('POST', `/v1/jobs/${created.jobId}/retry`, { token: tokens.operatorBerlin })).status,
    ).toBe(409); // still queued
    await call('POST', `/v1/jobs/${created.jobId}/cancel`, { token: tokens.operatorBerlin });
    const retried = await json(
      await call('POST', `/v1/jobs/${created.jobId}/retry`, { token: tokens.operatorBerlin }),
    );
    expect(retried).toEqual({ jobId: created.jobId, attempt: 2, state: 'QUEUED' });
    expect(
      (await call('POST', `/v1/jobs/${created.jobId}/retry`, { token: tokens.operatorParis })).status,
    ).toBe(403);
    expect((await call('POST', `/v1/jobs/${created.jobId}/retry`, { token: tokens.auditor })).status).toBe(
      403,
    );
  });

  it('refuses a job whose signed envelope would not fit one MQTT message (413)', async () => {
    const { call, tokens } = cloud;
    await enrolBerlin();
    const response = await call('POST', '/v1/jobs', {
      token: tokens.operatorBerlin,
      body: { agentId: 'agent-berlin-1', encodingId: 'change-key', fields: { BLOB: 'A'.repeat(70_000) } },
    });
    expect(response.status).toBe(413);
    expect((await json(response)).error.message).toContain('one MQTT message');
  });

  it('times out jobs with no terminal state in time', async () => {
    const { call, tokens } = cloud;
    await enrolBerlin();
    const created = await json(
      await call('POST', '/v1/jobs', {
        token: tokens.operatorBerlin,
        body: { agentId: 'agent-berlin-1', encodingId: 'change-key', fields: CHANGE_KEY_FIELDS },
      }),
    );
    expect(await sweepTimedOutJobs(cloud.cloud.jobs, Date.now(), 60_000)).not.toContain(created.jobId);
    expect(await sweepTimedOutJobs(cloud.cloud.jobs, Date.now() + 61_000, 60_000)).toContain(created.jobId);
    expect(
      (await json(await call('GET', `/v1/jobs/${created.jobId}`, { token: tokens.auditor }))).state,
    ).toBe('TIMED_OUT');
  });

  it('enrols with the code alone, which names its agent; an unknown or used code is refused', async () => {
    const { call, tokens } = cloud;
    const { enrolmentCode } = await json(
      await call('POST', '/v1/agents', {
        token: tokens.admin,
        body: { id: 'agent-berlin-7', office: 'berlin' },
      }),
    );
    const { kty, crv, x, y } = await exportJWK(
      (await generateKeyPair('ES256', { extractable: true })).publicKey,
    );
    const body = (code: string) => ({ body: { code, publicJwk: { kty, crv, x, y } } });
    expect((await call('POST', '/v1/enrol', body('0'.repeat(32)))).status).toBe(401);
    const enrolled = await call('POST', '/v1/enrol', body(enrolmentCode));
    expect(enrolled.status).toBe(200);
    expect(await json(enrolled)).toMatchObject({ id: 'agent-berlin-7', state: 'ACTIVE' });
    expect((await call('POST', '/v1/enrol', body(enrolmentCode))).status).toBe(401);
  });
});
