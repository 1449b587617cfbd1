import { generateKeyPair } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addEnrolledAgent,
  composeTestCloud,
  exampleFiles,
  memoryCloud,
} from '../../../test/support/test-cloud';
import { keys } from '../storage/table-design';

/**
 * The job fields through the API (docs/api.md): the version view lists them with their
 * rules, and `POST /v1/jobs` refuses a job whose fields break them, naming the field and
 * never its value.
 */
describe('job fields in the API', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  beforeEach(async () => {
    cloud = await memoryCloud();
    await addEnrolledAgent(cloud, 'agent-1', 'berlin', (await generateKeyPair('ES256')).publicKey);
    for (const id of ['idprime-personalise', 'change-key'])
      await cloud.call('POST', '/v1/encodings', {
        token: cloud.tokens.admin,
        body: { id, files: exampleFiles(id) },
      });
  });
  const create = async (encodingId: string, fields: Record<string, string>) => {
    const response = await cloud.call('POST', '/v1/jobs', {
      token: cloud.tokens.operatorBerlin,
      body: { agentId: 'agent-1', encodingId, fields },
    });
    return { status: response.status, text: await response.text() };
  };
  const personalise = {
    CMK: '00'.repeat(24),
    NEW_CMK: '31'.repeat(24),
    NEW_PIN: '735194',
    USER_CERT: 'MIIB',
    CA_CERT: 'MIIB',
  };

  it('lists the fields of a version with their rules in its view', async () => {
    const view = (await (
      await cloud.call('GET', '/v1/encodings/idprime-personalise', { token: cloud.tokens.admin })
    ).json()) as {
      fields: { name: string; secret: boolean; required: boolean; format: string; bytes?: number }[];
    };
    expect(view.fields.map((f) => f.name)).toEqual(['CA_CERT', 'CMK', 'NEW_CMK', 'NEW_PIN', 'USER_CERT']);
    expect(view.fields.find((f) => f.name === 'CMK')).toMatchObject({
      secret: true,
      required: true,
      format: 'hex',
      bytes: 24,
    });
  });

  it('lists the fields of a version pushed before views had them, from its bundle', async () => {
    const key = keys.encodingVersion('change-key', 1);
    const item = await cloud.table.get(key);
    const { fields: _dropped, ...older } = JSON.parse(String(item?.view)) as Record<string, unknown>;
    await cloud.table.put({ ...(item ?? key), view: JSON.stringify(older) });
    // A fresh composition over the same table: nothing cached from the push.
    const fresh = await composeTestCloud(cloud.table);
    const version = await fresh.cloud.encodings.get('change-key', 1);
    expect(version?.fields.map((f) => [f.name, f.required])).toEqual([
      ['ADMIN_KEY', true],
      ['NEW_KEY', false],
    ]);
  });

  it('takes a job whose fields fit the version', async () => {
    expect((await create('idprime-personalise', personalise)).status).toBe(202);
  });

  it('refuses a job without a required field, naming it', async () => {
    const { NEW_PIN: _left, ...rest } = personalise;
    const answer = await create('idprime-personalise', rest);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      error: { code: 'JOB_FIELD_MISSING', details: { field: 'NEW_PIN' } },
    });
  });

  it('refuses a secret field of the wrong form, naming the field and never echoing its value', async () => {
    const wrong = `${'AB'.repeat(23)}`;
    const answer = await create('idprime-personalise', { ...personalise, CMK: wrong });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      error: { code: 'JOB_FIELD_MALFORMED', details: { field: 'CMK' } },
    });
    expect(answer.text).toContain('exactly 24 bytes');
    expect(answer.text).not.toContain(wrong);
  });

  it('refuses a CR key that is not a 3DES key length, and takes an empty optional DYN field', async () => {
    expect((await create('change-key', { ADMIN_KEY: '40'.repeat(20) })).text).toContain(
      'JOB_FIELD_MALFORMED',
    );
    expect((await create('change-key', { ADMIN_KEY: '40'.repeat(16), NEW_KEY: '' })).status).toBe(202);
  });
});
