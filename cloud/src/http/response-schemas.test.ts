import type { RouteConfig } from '@hono/zod-openapi';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { exampleFiles, memoryCloud } from '../../../test/support/test-cloud';

/**
 * What the app answers is what its document says: every JSON answer of a run through the
 * API parses with the schema its route declares for that status, and parses to itself —
 * a field the schema does not name would be stripped, so an undocumented field fails too.
 */
describe('answers against their declared schemas', () => {
  it('match for every route a run through encodings, agents, jobs and the audit calls', async () => {
    const cloud = await memoryCloud();
    const routes = cloud.cloud.app.openAPIRegistry.definitions
      .flatMap((d) => (d.type === 'route' ? [d.route] : []))
      // Literal paths before templates, so /v1/enrol is not read as a template's match.
      .sort((a, b) => a.path.split('{').length - b.path.split('{').length);
    const routeOf = (method: string, path: string): RouteConfig | undefined =>
      routes.find(
        (r) =>
          r.method === method.toLowerCase() &&
          new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
      );
    const checked = new Set<string>();
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const response = await cloud.fetch(path, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const route = routeOf(method, new URL(path, 'http://x').pathname);
      expect(route, `${method} ${path} is declared`).toBeDefined();
      const declared = route?.responses[String(response.status)];
      expect(declared, `${method} ${path} declares ${response.status}`).toBeDefined();
      const schema = (declared as { content?: Record<string, { schema?: z.ZodType }> }).content?.[
        'application/json'
      ]?.schema;
      const answer: unknown = await response.json();
      expect(schema, `${method} ${path} ${response.status} has a JSON schema`).toBeDefined();
      expect(schema?.parse(answer), `${method} ${path} ${response.status}`).toEqual(answer);
      checked.add(`${method} ${route?.path} ${response.status}`);
      return answer as Record<string, unknown>;
    };
    const { admin, operatorBerlin: operator, auditor } = cloud.tokens;

    await call('GET', '/healthz');
    await call('GET', '/readyz');
    await call('GET', '/.well-known/jwks.json');
    await call('POST', '/v1/encodings', admin, { id: 'rv', files: exampleFiles('read-version') });
    await call('POST', '/v1/encodings', admin, { id: 'rv', files: exampleFiles('read-version') });
    await call('GET', '/v1/encodings', operator);
    await call('GET', '/v1/encodings/rv', auditor);
    await call('GET', '/v1/encodings/rv/versions/1', admin);
    await call('GET', '/v1/encodings/rv/diff?from=1&to=2', admin);
    await call('GET', '/v1/encodings/rv/diff?from=1&to=x', admin); // 400
    await call('GET', '/v1/encodings/none', admin); // 404

    const added = await call('POST', '/v1/agents', admin, { id: 'agent-1', office: 'berlin' });
    const { kty, crv, x, y } = await exportJWK((await generateKeyPair('ES256')).publicKey);
    await call('POST', '/v1/agents/agent-1/enrol', undefined, {
      code: added.enrolmentCode,
      publicJwk: { kty, crv, x, y },
    });
    await call('GET', '/v1/agents', operator);

    const created = await call('POST', '/v1/jobs', operator, { agentId: 'agent-1', encodingId: 'rv' });
    await call('GET', `/v1/jobs/${created.jobId}`, operator);
    await call('GET', '/v1/jobs?limit=5&state=QUEUED', auditor);
    await call('POST', `/v1/jobs/${created.jobId}/cancel`, operator);
    await call('POST', `/v1/jobs/${created.jobId}/retry`, operator);
    await call('POST', '/v1/jobs', auditor, { agentId: 'agent-1', encodingId: 'rv' }); // 403
    await call('POST', '/v1/agents/agent-1/revoke', admin);

    const page = (await call('GET', '/v1/audit?limit=3', auditor)) as {
      items: { shard: number; seq: number }[];
    };
    const [listed] = page.items;
    await call('GET', `/v1/audit/entries/${listed?.shard}/${listed?.seq}`, auditor);
    await call('GET', '/v1/audit/entries/0/999999', auditor); // 404
    await call('POST', '/v1/audit/checkpoint', admin);
    await call('GET', '/v1/audit/checkpoint', auditor);
    await call('GET', '/v1/audit/verify', auditor);
    await call('GET', '/v1/audit/consistency?from=1', auditor);
    await call('GET', '/v1/audit/prove?card=0000', auditor);
    await call('GET', '/v1/audit/prove?card=0000&checkpoint=1', auditor);
    await call('GET', '/v1/audit/export?format=json', auditor);

    expect(checked).toContain('GET /v1/encodings/{id}/diff 200');
    expect(checked).toContain('GET /v1/encodings/{id}/diff 400');
    expect(checked).toContain('POST /v1/jobs/{id}/retry 200');
    expect(checked.size).toBe(29); // every call above but the second push: a route and status of its own
  });
});
