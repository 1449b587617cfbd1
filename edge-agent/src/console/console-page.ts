/**
 * The operator console page: lists pending PIN requests and answers them. Plain DOM
 * (textContent only — descriptions come from encodings), password inputs, the token
 * from the URL fragment kept in memory only. Polls once a second.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cardfleet operator console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:44rem}
fieldset{margin:1rem 0;padding:1rem;border:1px solid #999;border-radius:6px}
label{display:block;margin:.4rem 0}input{font-size:1.1rem;margin-left:.5rem}
.error{color:#b00020}.muted{color:#666}
</style></head><body>
<h1>PIN entry</h1>
<p id="status" class="muted">Connecting…</p>
<p id="batch"></p>
<div id="pending"></div>
<script>
const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
history.replaceState(null, '', location.pathname);
const headers = { authorization: 'Bearer ' + token, 'content-type': 'application/json' };
const shown = new Map();
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };
function form(p) {
  const f = el('form'); const box = el('fieldset');
  box.append(el('legend', p.application + (p.jobId ? ' — job ' + p.jobId : '') + (p.reader ? ' — reader ' + p.reader : '')));
  box.append(el('p', 'Answer before ' + new Date(p.expiresAt).toLocaleTimeString() + '; nothing is sent to the card until then.', 'muted'));
  const inputs = p.requests.map((r) => {
    box.append(el('h3', r.description + ' (line ' + r.line + ')'));
    if (r.rule) box.append(el('p', 'Rule: ' + r.rule, 'muted'));
    const field = (name) => { const l = el('label', name); const i = el('input'); i.type = 'password'; i.autocomplete = 'off'; l.append(i); box.append(l); return i; };
    return { transport: r.askTransport ? field('Transport PIN') : null, old: r.askOld ? field('Current PIN') : null, pin: field('New PIN'), confirmation: field('Confirm new PIN') };
  });
  const error = el('p', '', 'error'); const ok = el('button', 'Send to card'); const cancel = el('button', 'Cancel'); cancel.type = 'button';
  box.append(error, ok, cancel); f.append(box);
  const post = async (action, body) => {
    const res = await fetch('/api/pending/' + p.id + '/' + action, { method: 'POST', headers, body: JSON.stringify(body || {}) });
    if (res.status === 204) { f.remove(); shown.delete(p.id); return; }
    error.textContent = (await res.json()).error.message;
  };
  f.onsubmit = (e) => { e.preventDefault(); post('answer', { entries: inputs.map((i) => {
    const entry = { pin: i.pin.value, confirmation: i.confirmation.value };
    if (i.old) entry.old = i.old.value; if (i.transport) entry.transport = i.transport.value; return entry; }) }); };
  cancel.onclick = () => post('cancel');
  return f;
}
async function poll() {
  try {
    const res = await fetch('/api/pending', { headers });
    if (res.status === 401) { document.getElementById('status').textContent = 'Open the link the agent printed (it carries the console token).'; return; }
    const { pending, batch } = await res.json();
    document.getElementById('batch').textContent = batch || '';
    const ids = new Set(pending.map((p) => p.id));
    for (const [id, f] of shown) if (!ids.has(id)) { f.remove(); shown.delete(id); }
    for (const p of pending) if (!shown.has(p.id)) { const f = form(p); shown.set(p.id, f); document.getElementById('pending').append(f); }
    document.getElementById('status').textContent = pending.length ? '' : 'No PIN requests waiting.';
  } catch { document.getElementById('status').textContent = 'The agent is not reachable.'; }
  setTimeout(poll, 1000);
}
poll();
</script></body></html>
`;
