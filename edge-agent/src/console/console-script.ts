/**
 * The station console's script (GET /console.js; no inline script, the CSP allows
 * `'self'`). It takes the console token from the URL fragment (never sent to a server)
 * into memory and drops it from the address bar, polls `/api/pending` once a second,
 * inserts each new request's server-rendered, escaped form (pin-request-html.ts), and
 * sends the PINs only in a POST body. After sending the form and its values are
 * removed; the request's section then says what became of it (`recent`).
 *
 * The countdown changes visibly every second; its live region (read out politely by
 * screen readers) changes only at whole minutes, 30 s and 10 s, never more often than
 * every 10 s (WCAG 2.2 SC 4.1.3 without flooding the reader).
 */
export const CONSOLE_SCRIPT = `'use strict';
(() => {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
  history.replaceState(null, '', location.pathname);
  const headers = { authorization: 'Bearer ' + token, 'content-type': 'application/json' };
  const byId = (id) => document.getElementById(id);
  const shown = new Map();
  const setText = (node, text) => { if (node.textContent !== text) node.textContent = text; };

  const clock = (s) => Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  const spoken = (s) => {
    if (s <= 0) return 'Time is up.';
    if (s <= 10) return '10 seconds left to send the PIN.';
    if (s <= 30) return '30 seconds left to send the PIN.';
    const minutes = Math.ceil(s / 60);
    return minutes === 1 ? '1 minute left to send the PIN.' : minutes + ' minutes left to send the PIN.';
  };

  function tick() {
    const now = performance.now();
    for (const item of shown.values()) {
      if (!item.section || item.ended) continue;
      const left = Math.max(0, Math.ceil((item.deadline - now) / 1000));
      setText(item.countdown, clock(left));
      item.section.classList.toggle('urgent', left <= 30);
      const words = spoken(left);
      if (words !== item.spoken && now - item.spokenAt >= 10000) {
        item.spoken = words;
        item.spokenAt = now;
        item.live.textContent = words;
      }
    }
  }

  function end(item, outcome, message, focus) {
    item.ended = true;
    item.message = message;
    const form = item.section.querySelector('[data-form]');
    if (form) {
      for (const input of form.querySelectorAll('input')) input.value = '';
      form.remove();
    }
    for (const node of item.section.querySelectorAll('[data-countdown-box], [data-countdown-live]')) node.remove();
    item.section.classList.remove('urgent');
    item.section.querySelector('[data-heading-state]').textContent = outcome === 'sent' ? 'PIN sent:' : 'Request ended:';
    const out = item.section.querySelector('[data-outcome]');
    out.dataset.state = outcome;
    out.textContent = message;
    out.hidden = false;
    if (!item.section.querySelector('[data-dismiss]')) {
      const dismiss = document.createElement('button');
      dismiss.type = 'button';
      dismiss.className = 'button button-secondary';
      dismiss.dataset.dismiss = '';
      dismiss.textContent = 'Dismiss';
      dismiss.addEventListener('click', () => { item.section.remove(); shown.delete(item.id); byId('status').focus(); });
      item.section.append(dismiss);
    }
    if (focus) out.focus();
  }

  async function post(item, action, body) {
    const res = await fetch('/api/pending/' + encodeURIComponent(item.id) + '/' + action, {
      method: 'POST', headers, body: JSON.stringify(body || {}),
    });
    if (res.status === 204) return undefined;
    try { return (await res.json()).error.message; } catch { return 'The agent answered ' + res.status + '.'; }
  }

  function wire(item) {
    const form = item.section.querySelector('[data-form]');
    const error = item.section.querySelector('[data-error]');
    const buttons = form.querySelectorAll('button');
    for (const time of item.section.querySelectorAll('time[data-local-time]'))
      time.textContent = new Date(time.dateTime).toLocaleTimeString();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const entries = [...form.querySelectorAll('fieldset[data-entry]')].map((box) => {
        const value = (part) => { const input = box.querySelector('[data-part="' + part + '"]'); return input ? input.value : undefined; };
        const entry = { pin: value('pin'), confirmation: value('confirmation') };
        if (value('old') !== undefined) entry.old = value('old');
        if (value('transport') !== undefined) entry.transport = value('transport');
        return entry;
      });
      for (const b of buttons) b.disabled = true;
      let problem;
      try { problem = await post(item, 'answer', { entries }); } catch { problem = 'The agent is not reachable; try again.'; }
      entries.length = 0;
      for (const b of buttons) b.disabled = false;
      if (problem === undefined) end(item, 'sent', item.section.dataset.sentMessage, true);
      else error.textContent = 'Not sent: ' + problem;
    });
    form.querySelector('[data-cancel]').addEventListener('click', async () => {
      const problem = await post(item, 'cancel').catch(() => 'The agent is not reachable; try again.');
      if (problem !== undefined) error.textContent = problem;
    });
  }

  async function add(request) {
    const item = { id: request.id, spoken: '', spokenAt: -Infinity };
    shown.set(request.id, item);
    const res = await fetch('/api/pending/' + encodeURIComponent(request.id) + '/form', { headers }).catch(() => undefined);
    if (!res || !res.ok) { shown.delete(request.id); return; }
    const holder = document.createElement('div');
    holder.innerHTML = await res.text();
    const section = holder.firstElementChild;
    if (!section) { shown.delete(request.id); return; }
    item.section = section;
    item.countdown = section.querySelector('[data-countdown]');
    item.live = section.querySelector('[data-countdown-live]');
    item.deadline = performance.now() + Number(section.dataset.secondsLeft) * 1000;
    item.spoken = spoken(Number(section.dataset.secondsLeft));
    wire(item);
    byId('pending').append(section);
    // Nobody is typing elsewhere: take the operator to the first PIN field.
    if (document.activeElement === document.body) section.querySelector('input')?.focus();
  }

  async function poll() {
    const status = byId('status');
    try {
      const res = await fetch('/api/pending', { headers });
      if (res.status === 401) { setText(status, 'Open the link the agent printed (it carries the console token).'); return; }
      const { pending, batch, recent } = await res.json();
      const line = byId('batch');
      setText(line, batch || '');
      line.hidden = !batch;
      const open = new Set(pending.map((p) => p.id));
      const ended = new Map((recent || []).map((r) => [r.id, r]));
      for (const item of [...shown.values()]) {
        if (open.has(item.id) || !item.section) continue;
        const record = ended.get(item.id);
        if (record && record.message !== item.message) end(item, record.outcome, record.message, false);
        else if (!record && !item.ended) { item.section.remove(); shown.delete(item.id); }
      }
      for (const request of pending) if (!shown.has(request.id)) add(request);
      setText(status, pending.length === 0 ? 'No PIN requests waiting.'
        : pending.length === 1 ? 'A job is waiting for a PIN.' : pending.length + ' jobs are waiting for PINs.');
    } catch {
      setText(status, 'The agent is not reachable; trying again.');
    }
    setTimeout(poll, 1000);
  }

  byId('status').tabIndex = -1;
  setInterval(tick, 1000);
  poll();
})();
`;
