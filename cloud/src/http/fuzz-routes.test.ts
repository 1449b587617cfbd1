import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';

/** Every route answers random input with a 4xx and the error body — never a 5xx. */
const ROUTES: [method: string, path: string][] = [
  ['POST', '/v1/encodings'],
  ['GET', '/v1/encodings'],
  ['GET', '/v1/encodings/x'],
  ['GET', '/v1/encodings/x/versions/1'],
  ['GET', '/v1/encodings/x/diff'],
  ['POST', '/v1/agents'],
  ['POST', '/v1/agents/x/enrol'],
  ['POST', '/v1/agents/x/revoke'],
  ['GET', '/v1/agents'],
  ['POST', '/v1/jobs'],
  ['GET', '/v1/jobs/x'],
  ['GET', '/v1/jobs'],
  ['POST', '/v1/jobs/x/cancel'],
  ['POST', '/v1/jobs/x/retry'],
  ['GET', '/v1/audit'],
  ['GET', '/v1/audit/export'],
  ['GET', '/v1/audit/verify'],
];

describe('random input at every route', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  beforeAll(async () => {
    cloud = await memoryCloud();
  });

  it('never answers 5xx, always with the error body on failure', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._%-]{0,12}$/);
    const query = fc.dictionary(
      fc.constantFrom(
        'office',
        'agentId',
        'state',
        'cursor',
        'limit',
        'format',
        'from',
        'to',
        'cardSerial',
        'id',
      ),
      fc.string({ maxLength: 8 }),
      { maxKeys: 3 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        segment,
        query,
        fc.oneof(fc.json(), fc.string(), fc.constant('')),
        fc.constantFrom('admin', 'operatorBerlin', 'auditor', 'agent', 'none'),
        async ([method, path], id, params, body, who) => {
          const url = `${cloud.base}${path.replace('/x', `/${encodeURIComponent(id) || 'x'}`)}?${new URLSearchParams(params)}`;
          const token = who === 'none' ? undefined : cloud.tokens[who as keyof typeof cloud.tokens];
          const response = await cloud.fetch(url, {
            method,
            headers: {
              'content-type': 'application/json',
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            ...(method === 'POST' ? { body } : {}),
          });
          expect(response.status, `${method} ${url}`).toBeLessThan(500);
          if (response.status >= 400) {
            const payload = (await response.json()) as { error: { code: string; message: string } };
            expect(payload.error.code).toEqual(expect.any(String));
          } else {
            await response.arrayBuffer();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
