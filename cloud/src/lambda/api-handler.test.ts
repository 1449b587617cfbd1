import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryCloud } from '../../../test/support/test-cloud';
import { lambdaHandler } from './api-handler';

// A Lambda context; the handler reads nothing from it.
const context = {} as Parameters<ReturnType<typeof lambdaHandler>>[1];
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../test/fixtures/lambda', name), 'utf8'));

describe('API Lambda handler', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  beforeAll(async () => {
    cloud = await memoryCloud();
  });

  it('answers an API Gateway v2 event', async () => {
    const response = await lambdaHandler(cloud.cloud.app)(fixture('apigw-v2-healthz.json'), context);
    expect(response).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(String((response as { body: string }).body))).toEqual({ ok: true });
  });

  it('answers a Function URL event with the error body when unauthenticated, and with data when authenticated', async () => {
    const event = fixture('function-url-encodings.json');
    const denied = await lambdaHandler(cloud.cloud.app)(event, context);
    expect(denied).toMatchObject({ statusCode: 401 });
    expect(JSON.parse(String((denied as { body: string }).body)).error.code).toBe('UNAUTHENTICATED');
    event.headers.authorization = `Bearer ${cloud.tokens.auditor}`;
    const allowed = await lambdaHandler(cloud.cloud.app)(event, context);
    expect(allowed).toMatchObject({ statusCode: 200 });
  });
});
