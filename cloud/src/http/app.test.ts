import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { exampleFiles, memoryCloud } from '../../../test/support/test-cloud';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
const json = async (response: Response): Promise<any> => response.json();

describe('cloud HTTP API (in-process requests over the in-memory table)', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  const tokens = { admin: '', operator: '', auditor: '' };
  const call = (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string } = {},
  ) =>
    cloud.fetch(path, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        'content-type': 'application/json',
      },
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body !== undefined
          ? { body: JSON.stringify(options.body) }
          : {}),
    });
  const pushGemalto = () =>
    call('POST', '/v1/encodings', {
      token: tokens.admin,
      body: { id: 'gemalto', files: exampleFiles('gemalto-pkcs11') },
    });

  beforeEach(async () => {
    cloud = await memoryCloud();
    tokens.admin = cloud.tokens.admin;
    tokens.operator = cloud.tokens.operatorBerlin;
    tokens.auditor = cloud.tokens.auditor;
  });

  it('serves an OpenAPI document built from the route schemas', async () => {
    const doc = await json(await call('GET', '/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/encodings', '/v1/jobs', '/v1/audit/verify']),
    );
    const jobBody = doc.paths['/v1/jobs'].post.requestBody.content['application/json'].schema;
    expect(jobBody.required).toEqual(['agentId', 'encodingId']);
    expect(
      doc.paths['/v1/jobs'].post.responses['403'].content['application/json'].schema.properties.error,
    ).toBeDefined();
  });

  it('answers /healthz without a token', async () => {
    expect(await json(await call('GET', '/healthz'))).toEqual({ ok: true });
  });

  it('stores immutable encoding versions and serves them with secrets redacted', async () => {
    const first = await pushGemalto();
    expect(first.status).toBe(201);
    const created = await json(first);
    expect(created).toMatchObject({
      id: 'gemalto',
      version: 1,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const second = await json(await pushGemalto());
    expect(second.version).toBe(2);
    const latest = await json(await call('GET', '/v1/encodings/gemalto', { token: tokens.operator }));
    expect(latest.version).toBe(2);
    const text = latest.files[0].text as string;
    expect(text).toContain('CardManagerKey=[REDACTED]');
    expect(text).toContain('NewPin=${NEW_PIN}');
    expect(JSON.stringify(latest)).not.toContain('313233343536373839303132333435363738393031323334');
    const v1 = await json(await call('GET', '/v1/encodings/gemalto/versions/1', { token: tokens.auditor }));
    expect(v1.sha256).toBe(created.sha256);
    const list = await json(await call('GET', '/v1/encodings', { token: tokens.auditor }));
    expect(list.items).toEqual([expect.objectContaining({ id: 'gemalto', latestVersion: 2 })]);
  });

  it('rejects an invalid bundle with each problem at file, line and column', async () => {
    const files = [
      { name: 'e.ini', base64: Buffer.from('ApplicationList=A\n[A]\nApduFile=s.apdu\n').toString('base64') },
      { name: 's.apdu', base64: Buffer.from('RAW:00CA01\n').toString('base64') },
    ];
    const response = await call('POST', '/v1/encodings', { token: tokens.admin, body: { id: 'bad', files } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      error: {
        code: 'ENCODING_INVALID',
        message: 'the bundle has 1 problem(s)',
        details: {
          problems: [
            {
              code: 'SCRIPT_APDU_TOO_SHORT',
              message: 'an APDU needs CLA INS P1 P2',
              file: 's.apdu',
              line: 1,
              column: 5,
            },
          ],
        },
      },
    });
  });

  it('enforces roles and tokens', async () => {
    expect(
      (
        await call('POST', '/v1/encodings', {
          token: tokens.operator,
          body: { id: 'x', files: exampleFiles('read-version') },
        })
      ).status,
    ).toBe(403);
    expect((await call('GET', '/v1/encodings')).status).toBe(401);
    expect((await call('GET', '/v1/encodings', { token: 'not-a-jwt' })).status).toBe(401);
    expect((await call('GET', '/v1/audit/verify', { token: tokens.operator })).status).toBe(403);
  });

  it('answers bad input with 4xx and the error body, never 5xx', async () => {
    const malformed = await call('POST', '/v1/encodings', { token: tokens.admin, raw: '{"id": ' });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.code).toBe('REQUEST_INVALID');
    const oversize = await call('POST', '/v1/encodings', {
      token: tokens.admin,
      body: { id: 'big', files: [{ name: 'e.ini', base64: 'A'.repeat(300_000) }] },
    });
    expect(oversize.status).toBe(413);
    expect((await json(oversize)).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await call('GET', '/v1/encodings/nope', { token: tokens.admin })).status).toBe(404);
    expect((await call('GET', '/v1/encodings/gemalto/versions/0', { token: tokens.admin })).status).toBe(400);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (body) => {
        const response = await call('POST', '/v1/encodings', { token: tokens.admin, raw: body });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect((await json(response)).error.code).toEqual(expect.any(String));
      }),
      { numRuns: 60 },
    );
  });

  it('audits every push and verifies the chain', async () => {
    await pushGemalto();
    await pushGemalto();
    const verify = await json(await call('GET', '/v1/audit/verify', { token: tokens.auditor }));
    expect(verify).toMatchObject({ ok: true, entries: 2, problems: [] });
  });
});
