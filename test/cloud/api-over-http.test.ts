import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud } from '../support/cloud-server';

// The unit tests call the API in-process (cloud/src/http/app.test.ts); this is the same
// app behind @hono/node-server on a real port over dynalite, as `npm run cloud` runs it.
describe('cloud HTTP API over a real port', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  beforeAll(async () => {
    cloud = await startCloud();
  });
  afterAll(() => cloud.close());

  it('answers /healthz and an authenticated read', async () => {
    expect(await (await cloud.call('GET', '/healthz')).json()).toEqual({ ok: true });
    expect((await cloud.call('GET', '/v1/encodings', { token: cloud.tokens.auditor })).status).toBe(200);
  });

  // The server answers 413 before reading the body and then closes the connection,
  // which fetch reports as a failure; node:http gives us the response first.
  it('answers an oversized body with 413 and the error body before reading it', async () => {
    const body = JSON.stringify({ id: 'big', files: [{ name: 'e.ini', base64: 'A'.repeat(300_000) }] });
    const answer = await new Promise<{ status: number; code: string }>((resolve, reject) => {
      const headers = {
        authorization: `Bearer ${cloud.tokens.admin}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      };
      const request = httpRequest(`${cloud.base}/v1/encodings`, { method: 'POST', headers }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, code: JSON.parse(text).error.code }),
        );
      });
      request.on('error', (error) =>
        error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error),
      );
      request.end(body);
    });
    expect(answer).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});
