import { describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';

/**
 * The validators built from the route schemas refuse with the API's one error body
 * (docs/api.md), never zod's own or a 500, and only after the role is checked.
 */
describe('request validation from the route schemas', () => {
  const post = async (path: string, token: string, body: string, type = 'application/json') => {
    const cloud = await memoryCloud();
    const response = await cloud.fetch(path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${cloud.tokens[token as keyof typeof cloud.tokens]}`,
        'content-type': type,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as { error: Record<string, unknown> } };
  };

  it('answers a body that is not JSON with REQUEST_INVALID, as before the schemas', async () => {
    expect(await post('/v1/jobs', 'admin', '{"agentId":')).toEqual({
      status: 400,
      body: { error: { code: 'REQUEST_INVALID', message: 'the body is not valid JSON', details: {} } },
    });
    const plain = await post('/v1/jobs', 'admin', '{}', 'text/plain');
    expect(plain.status).toBe(400);
    expect(plain.body.error).toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'the body must be JSON (content-type: application/json)',
    });
  });

  it("answers a body the schema refuses with the route's message and zod's issues", async () => {
    const refused = await post(
      '/v1/agents',
      'admin',
      JSON.stringify({ id: 'cardfleet-x', office: 'berlin' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'REQUEST_INVALID',
      message: 'the body must be { id, office, enrolmentCodeSeconds? }',
      details: { issues: [expect.objectContaining({ path: ['id'] })] },
    });
  });

  it('checks the role before the input: a caller without it learns nothing of the schema', async () => {
    const refused = await post('/v1/agents', 'operatorBerlin', '{"not":"an agent"}');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await post('/v1/audit/repair', 'auditor', '{')).status).toBe(403);
  });

  it('answers a query of the wrong type with the first issue, for routes without a message of their own', async () => {
    const cloud = await memoryCloud();
    const response = await cloud.call('GET', '/v1/audit/consistency?from=abc', {
      token: cloud.tokens.auditor,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('REQUEST_INVALID');
  });
});
