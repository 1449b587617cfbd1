import { describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';

// docs/security.md, "An office operator": an operator acts for one office, so a signed
// operator token that names none is refused on every route rather than read as "all".
describe('operator tokens without an office', () => {
  const routes: [string, string][] = [
    ['GET', '/v1/agents'],
    ['GET', '/v1/jobs'],
    ['GET', '/v1/jobs/some-job'],
    ['POST', '/v1/jobs'],
    ['POST', '/v1/jobs/some-job/cancel'],
    ['POST', '/v1/jobs/some-job/retry'],
    ['GET', '/v1/audit'],
    ['GET', '/v1/encodings'],
    ['GET', '/v1/encodings/gemalto'],
  ];

  it.each(routes)('are refused with 403 OFFICE_REQUIRED on %s %s', async (method, path) => {
    const cloud = await memoryCloud();
    const token = await cloud.issuer.issue({ sub: 'nobody', role: 'operator' });
    const response = await cloud.call(method, path, {
      token,
      ...(method === 'POST' ? { body: { agentId: 'a', encodingId: 'e' } } : {}),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('OFFICE_REQUIRED');
  });

  it('still list their own office for operators that name one', async () => {
    const cloud = await memoryCloud();
    await cloud.call('POST', '/v1/agents', {
      token: cloud.tokens.admin,
      body: { id: 'b1', office: 'berlin' },
    });
    await cloud.call('POST', '/v1/agents', {
      token: cloud.tokens.admin,
      body: { id: 'p1', office: 'paris' },
    });
    const listed = (await (
      await cloud.call('GET', '/v1/agents', { token: cloud.tokens.operatorBerlin })
    ).json()) as {
      items: { id: string }[];
    };
    expect(listed.items.map((a) => a.id)).toEqual(['b1']);
  });
});
