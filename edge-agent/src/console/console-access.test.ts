import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  consoleLink,
  newConsoleToken,
  readConsoleAccess,
  removeConsoleAccess,
  writeConsoleAccess,
} from './console-access';
import { startConsoleServer } from './console-server';
import { PinRequests } from './pin-requests';

/**
 * The operator console's access check (a token in a 0600 file, a loopback Host header;
 * edge-agent/src/console/console-server.ts): each test is an access it must refuse, and
 * fails when the check is removed (docs/mutation-testing.md).
 */
const directory = mkdtempSync(join(tmpdir(), 'console-access-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('console access file', () => {
  it('writes the URL and token readable by the agent user only, and reads them back', () => {
    const access = { url: 'http://127.0.0.1:4321/', token: newConsoleToken() };
    writeConsoleAccess(directory, access);
    expect(statSync(join(directory, 'console.json')).mode & 0o777).toBe(0o600);
    expect(readConsoleAccess(directory)).toEqual(access);
    expect(consoleLink(access)).toBe(`http://127.0.0.1:4321/#token=${access.token}`);
    removeConsoleAccess(directory);
    expect(() => readConsoleAccess(directory)).toThrow(
      expect.objectContaining({ code: 'CONSOLE_NOT_RUNNING' }),
    );
    expect(() => readConsoleAccess(directory)).toThrow(/is the agent running/);
  });

  it('refuses an access file that does not fit its schema', () => {
    writeFileSync(join(directory, 'console.json'), JSON.stringify({ url: 'http://127.0.0.1/' }));
    expect(() => readConsoleAccess(directory)).toThrow(/is not valid/);
    removeConsoleAccess(directory);
  });

  it('makes a fresh unguessable token each time', () => {
    const a = newConsoleToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newConsoleToken()).not.toBe(a);
  });
});

const TOKEN = 'console-token-for-unit-tests';

function call(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/api/pending', url), { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console API access', async () => {
  const server = await startConsoleServer({ requests: new PinRequests({ timeoutMs: 60_000 }), token: TOKEN });
  afterAll(() => server.close());
  const port = new URL(server.url).port;

  it('answers the right bearer token on either loopback name', async () => {
    expect(await call(server.url, { authorization: `Bearer ${TOKEN}` })).toBe(200);
    expect(await call(server.url, { authorization: `Bearer ${TOKEN}`, host: `localhost:${port}` })).toBe(200);
  });

  it('refuses a missing, wrong, longer, shorter or unprefixed token', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer  ${TOKEN}`,
      `Basic ${TOKEN}`,
      `${TOKEN.slice(0, 5)}Bearer ${TOKEN.slice(5)}`,
      '',
    ]) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      expect(await call(server.url, headers), String(authorization)).toBe(401);
    }
  });

  it('refuses a foreign Host header even with the right token (DNS rebinding)', async () => {
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
      '127.0.0.1',
      `localhost.evil:${port}`,
    ])
      expect(await call(server.url, { authorization: `Bearer ${TOKEN}`, host }), host).toBe(421);
  });
});

describe('console access file removal', () => {
  it('removes an access file that is already gone without failing (a second stop)', () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-access-gone-'));
    expect(() => removeConsoleAccess(empty)).not.toThrow();
    rmSync(empty, { recursive: true, force: true });
  });
});
