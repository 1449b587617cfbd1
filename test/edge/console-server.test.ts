import { request as httpRequest } from 'node:http';
import { Script } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { promptCommand } from '../../edge-agent/src/cli/prompt-command';
import { startConsoleServer } from '../../edge-agent/src/console/console-server';
import { PinRequests } from '../../edge-agent/src/console/pin-requests';
import type { PinRequest } from '../../edge-agent/src/runner/prompter';
import { scriptedPrompter } from '../support/prompters';

const request: PinRequest = {
  line: 1,
  description: 'User PIN',
  rule: '[0-9]{6}',
  askOld: false,
  askTransport: false,
};
const token = 'console-token-for-tests';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function consoleWith(timeoutMs = 60_000) {
  const requests = new PinRequests({ timeoutMs });
  const server = await startConsoleServer({ requests, token });
  closers.push(server.close);
  const call = (path: string, init: RequestInit = {}, auth = token) =>
    fetch(new URL(path, server.url), {
      ...init,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    });
  return { requests, server, call };
}

describe('operator console (loopback HTTP)', () => {
  it('serves the page, lists pending requests and takes an answer', async () => {
    const { requests, call } = await consoleWith();
    expect(await (await call('/')).text()).toContain('PIN entry');
    const asked = requests.prompter({ jobId: 'job-7', reader: 'R' }).askPins('App', [request]);
    const { pending } = (await (await call('/api/pending')).json()) as {
      pending: { id: string; jobId: string }[];
    };
    expect(pending).toMatchObject([{ jobId: 'job-7' }]);
    const id = pending[0]?.id;
    const bad = await call(`/api/pending/${id}/answer`, {
      method: 'POST',
      body: JSON.stringify({ entries: [{ pin: '12', confirmation: '12' }] }),
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: 'PIN_RULE' } });
    const ok = await call(`/api/pending/${id}/answer`, {
      method: 'POST',
      body: JSON.stringify({ entries: [{ pin: '654321', confirmation: '654321' }] }),
    });
    expect(ok.status).toBe(204);
    await expect(asked).resolves.toEqual([{ pin: '654321', confirmation: '654321' }]);
    const again = await call(`/api/pending/${id}/answer`, { method: 'POST', body: '{"entries":[]}' });
    expect(again.status).toBe(404);
  });

  it("serves a page whose script compiles and that keeps the token out of the server's reach", async () => {
    const { call } = await consoleWith();
    const page = await call('/');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    // The script is a file of its own (no inline script under the CSP).
    expect(html).toContain('<script src="/console.js" defer></script>');
    const script = await (await call('/console.js')).text();
    expect(() => new Script(script)).not.toThrow();
    // The token comes from the fragment (never sent in a request) and is dropped from the address bar.
    expect(script).toContain('location.hash');
    expect(script).toContain('history.replaceState');
    // The page inserts forms the agent rendered and escaped (pin-request-html.ts); nothing inline runs.
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });

  it('refuses a wrong token, a foreign Host header, a body that is not JSON, an oversized body', async () => {
    const { requests, server, call } = await consoleWith();
    expect((await call('/api/pending', {}, 'wrong')).status).toBe(401);
    void requests
      .prompter()
      .askPins('App', [request])
      .catch(() => undefined);
    const id = requests.pending()[0]?.id;
    const notJson = await call(`/api/pending/${id}/answer`, {
      method: 'POST',
      body: '{"entries":[{"pin":"99887766"',
    });
    expect(notJson.status).toBe(422);
    expect(await notJson.text()).not.toContain('99887766');
    const large = await call(`/api/pending/${id}/answer`, { method: 'POST', body: 'x'.repeat(20_000) });
    expect(large.status).toBe(413);
    const port = new URL(server.url).port;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpRequest(
        { host: '127.0.0.1', port, path: '/api/pending', headers: { host: `evil.example:${port}` } },
        (res) => resolve(res.statusCode),
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
    requests.close();
  });

  it('`prompt` answers a pending request through the same API', async () => {
    const { requests, server } = await consoleWith();
    const asked = requests.prompter({ jobId: 'job-9' }).askPins('App', [request]);
    const prompter = scriptedPrompter([
      { pin: '1', confirmation: '1' },
      { pin: '246810', confirmation: '246810' },
    ]);
    const errors: string[] = [];
    const code = await promptCommand(
      { url: server.url, token },
      prompter,
      { stdout: () => undefined, stderr: (t) => errors.push(t) },
      { once: true, pollMs: 10 },
    );
    expect(code).toBe(0);
    await expect(asked).resolves.toEqual([{ pin: '246810', confirmation: '246810' }]);
    expect(prompter.asked).toHaveLength(2);
    expect(errors.join('')).toContain('does not match the rule');
    expect(errors.join('')).not.toMatch(/246810|\b1\b; try/);
  });
});
