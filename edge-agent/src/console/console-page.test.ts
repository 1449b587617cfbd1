import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { startConsoleServer } from './console-server';
import { PinRequests } from './pin-requests';

/**
 * The station page as the console serves it: a shell, its script and style sheet as files
 * of their own under a CSP without 'unsafe-inline', and each request's form rendered on
 * the agent behind the console token (docs/edge-agent.md, "PIN entry at the station").
 */
const TOKEN = 'console-token-for-page-tests';

describe('the station console page', async () => {
  const requests = new PinRequests({ timeoutMs: 60_000 });
  const server = await startConsoleServer({ requests, token: TOKEN });
  afterAll(async () => {
    requests.close();
    await server.close();
  });
  const get = (path: string, token?: string) =>
    fetch(new URL(path, server.url), token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('serves the page under a CSP that runs and styles nothing inline', async () => {
    const page = await get('/');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toContain('<h1>PIN entry</h1>');
    expect(html).toContain('<link rel="stylesheet" href="/console.css">');
    expect(html).toContain('<script src="/console.js" defer></script>');
    expect(html).not.toMatch(/<style|<script>|\sstyle=|\son[a-z]+=/);
    expect(html).toContain('role="status"');
  });

  it('serves its style sheet and script with their content types', async () => {
    const css = await get('/console.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const sheet = await css.text();
    expect(sheet).toMatch(/^:root \{\n {2}--text: #1b1f24;/);
    expect(sheet).toContain('--accent: #0b5cad;');
    expect(sheet).toContain('--radius: 4px;');
    expect(sheet).toContain(':focus-visible');
    const js = await get('/console.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const script = await js.text();
    expect(() => new Script(script)).not.toThrow();
    // The token comes from the fragment (never sent in a request) and is dropped from the address bar.
    expect(script).toContain('location.hash');
    expect(script).toContain('history.replaceState');
    // PINs leave only in a POST body; the form and its values go once it is sent.
    expect(script).toContain("method: 'POST'");
    expect(script).toContain("input.value = ''");
    expect(script).not.toMatch(/console\.log|localStorage|sessionStorage|location\.search/);
  });

  it('renders a request form only for the bearer of the console token', async () => {
    const asked = requests
      .prompter({ jobId: 'job-1', reader: 'Reader 0' })
      .askPins('App', [
        { line: 2, description: 'User PIN', rule: '[0-9]{6}', askOld: false, askTransport: false },
      ]);
    asked.catch(() => undefined);
    const id = requests.pending()[0]?.id ?? '';
    expect((await get(`/api/pending/${id}/form`)).status).toBe(401);
    expect((await get(`/api/pending/${id}/form`, 'wrong')).status).toBe(401);
    const form = await get(`/api/pending/${id}/form`, TOKEN);
    expect(form.status).toBe(200);
    expect(form.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(form.headers.get('cache-control')).toBe('no-store');
    const html = await form.text();
    expect(html).toContain('>6 digits<');
    expect(html).toContain('data-seconds-left="60"');
    expect(html).not.toContain('[0-9]{6}');
    expect((await get('/api/pending/no-such-request/form', TOKEN)).status).toBe(404);
    requests.cancel(id);
    const list = (await (await get('/api/pending', TOKEN)).json()) as {
      recent: { id: string; outcome: string }[];
    };
    expect(list.recent[0]).toMatchObject({ id, outcome: 'cancelled' });
  });
});
