import { pinRuleIsDigits } from '@cardfleet/shared';
import type { PendingPins } from './console-schemas';
import { outcomeMessage } from './pin-outcome';

/**
 * One pending PIN request as the station page shows it (GET /api/pending/:id/form):
 * the job, the card and reader, a countdown, one fieldset per PIN line with the rule in
 * words as the inputs' hint, what happens after sending and on timeout. Rendered here,
 * not in the browser, so what the operator reads is testable; every value from an
 * encoding or a reader is escaped (descriptions come from encodings), and the page's
 * CSP runs no inline script anyway (docs/security.md, "Inputs that must not hurt").
 *
 * Inputs carry no `name`: a form sent without the page's script carries no PIN, and the
 * CSP's `form-action 'none'` stops it being sent at all — PINs go only in the script's
 * POST body, never in a URL.
 */
export function renderPendingPins(view: PendingPins, secondsLeft: number): string {
  const id = `r-${safeId(view.id)}`;
  const reader = view.reader ? `the card in ${view.reader}` : 'the card';
  const deadline = utcTime(view.expiresAt);
  return [
    `<section class="request" id="${id}" data-request="${esc(view.id)}" data-seconds-left="${secondsLeft}"`,
    ` data-sent-message="${esc(outcomeMessage({ outcome: 'sent', ...(view.reader ? { reader: view.reader } : {}) }))}"`,
    ` aria-labelledby="${id}-title">`,
    `<h2 id="${id}-title"><span data-heading-state>PIN needed:</span> ${esc(view.application)}</h2>`,
    facts(view),
    `<p class="countdown" data-countdown-box>Time left: <strong data-countdown>${clock(secondsLeft)}</strong>`,
    ` <span class="muted">(until <time datetime="${esc(view.expiresAt)}" data-local-time>${deadline}</time>)</span></p>`,
    `<p class="visually-hidden" aria-live="polite" data-countdown-live></p>`,
    `<form method="post" action="#" data-form>`,
    ...view.requests.map((request, index) => fieldset(`${id}-${index}`, index, request)),
    `<p class="error" role="alert" data-error></p>`,
    `<div class="next">`,
    `<h3>After you send</h3>`,
    `<p>The PIN goes straight to ${esc(reader)}. It is not stored or sent to the cloud. `,
    `The job then continues; you can follow it in the console.</p>`,
    `<h3>If nobody answers</h3>`,
    `<p>At <time datetime="${esc(view.expiresAt)}" data-local-time>${deadline}</time> the request expires: `,
    `the job stops with PIN_TIMEOUT and nothing is sent to the card.</p>`,
    `</div>`,
    `<div class="actions">`,
    `<button type="submit" class="button button-primary">Send to card</button>`,
    `<button type="button" class="button button-danger" data-cancel>Cancel the job</button>`,
    `</div>`,
    `</form>`,
    `<div class="outcome" role="status" tabindex="-1" data-outcome hidden></div>`,
    `</section>`,
  ].join('');
}

function facts(view: PendingPins): string {
  const rows: [string, string][] = [];
  const job = view.encoding ? `${esc(view.encoding.id)}, version ${view.encoding.version}` : undefined;
  const jobId = view.jobId
    ? `<span class="muted">(job ID <span class="mono">${esc(view.jobId)}</span>)</span>`
    : undefined;
  if (job || jobId) rows.push(['Job', [job, jobId].filter(Boolean).join(' ')]);
  if (view.card) {
    const name = view.card.names.length > 0 ? esc(view.card.names.join(', ')) : 'Card not recognised';
    const atr = view.card.atr ? ` <span class="muted mono atr">ATR ${esc(spaced(view.card.atr))}</span>` : '';
    rows.push(['Card', `${name}${atr}`]);
  }
  if (view.reader) rows.push(['Reader', esc(view.reader)]);
  if (rows.length === 0) return '';
  return `<dl class="facts">${rows.map(([dt, dd]) => `<div><dt>${dt}</dt><dd>${dd}</dd></div>`).join('')}</dl>`;
}

function fieldset(prefix: string, index: number, request: PendingPins['requests'][number]): string {
  const ruleId = `${prefix}-rule`;
  const hint = request.rule === undefined ? undefined : ruleId;
  const digits = request.rule !== undefined && pinRuleIsDigits(request.rule);
  const lines = [
    `<fieldset data-entry="${index}">`,
    `<legend>${esc(request.description)} <span class="muted">(script line ${request.line})</span></legend>`,
  ];
  if (request.askTransport)
    lines.push(input(`${prefix}-transport`, 'transport', 'Transport PIN (the one the card came with)'));
  if (request.askOld) lines.push(input(`${prefix}-old`, 'old', 'Current PIN'));
  // The hint sits under the first new-PIN input; both inputs are described by it.
  const ruleText = request.rule === undefined ? '' : rule(ruleId, request.rule, request.ruleWords);
  lines.push(input(`${prefix}-pin`, 'pin', 'New PIN', hint, digits, ruleText));
  lines.push(input(`${prefix}-confirmation`, 'confirmation', 'New PIN again', hint, digits));
  lines.push('</fieldset>');
  return lines.join('');
}

/** The rule in words as the hint; a rule without words only behind a disclosure. */
function rule(id: string, raw: string, words: string | undefined): string {
  if (words) return `<p class="hint" id="${id}">${esc(words)}</p>`;
  return [
    `<p class="hint" id="${id}">Must match the rule set for this card.</p>`,
    `<details class="rule"><summary>Show the rule</summary><code>${esc(raw)}</code></details>`,
  ].join('');
}

function input(
  id: string,
  part: string,
  label: string,
  describedBy?: string,
  digits = false,
  after = '',
): string {
  const extra = [
    describedBy ? ` aria-describedby="${describedBy}"` : '',
    digits ? ' inputmode="numeric"' : '',
  ].join('');
  return [
    `<div class="field"><label for="${id}">${label}</label>`,
    `<input id="${id}" type="password" autocomplete="off" spellcheck="false" required data-part="${part}"${extra}>`,
    after,
    `</div>`,
  ].join('');
}

/** m:ss, as the script counts down. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The deadline in UTC until the script puts it in the browser's local time. */
function utcTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? esc(iso) : `${date.toISOString().slice(11, 19)} UTC`;
}

function spaced(hex: string): string {
  return hex.replace(/(..)(?=.)/g, '$1 ');
}

/** Element ids from request ids (UUIDs): anything else is dropped, not escaped. */
function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, '');
}

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
