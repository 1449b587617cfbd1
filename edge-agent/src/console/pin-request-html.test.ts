import { pinRuleWords } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import type { PendingPins } from './console-schemas';
import { clock, renderPendingPins } from './pin-request-html';

function pending(rule: string | undefined, more: Partial<PendingPins> = {}): PendingPins {
  const words = rule === undefined ? undefined : pinRuleWords(rule);
  return {
    id: '0b5cad00-1111-4222-8333-444455556666',
    jobId: 'job-7',
    reader: 'Gemalto PC Twin Reader 00 00',
    encoding: { id: 'personalise-idprime', version: 3 },
    card: { atr: '3BFF9600008131FE43', names: ['Gemalto IDPrime 940'] },
    application: 'Signature PIN',
    requests: [
      {
        line: 3,
        description: 'Signature PIN',
        ...(rule === undefined ? {} : { rule }),
        ...(words === undefined ? {} : { ruleWords: words }),
        askOld: false,
        askTransport: true,
      },
    ],
    askedAt: '2027-01-15T08:00:00.000Z',
    expiresAt: '2027-01-15T08:02:00.000Z',
    ...more,
  };
}

/** The page without its <details> elements: what the operator reads without opening one. */
function outsideDetails(html: string): string {
  return html.replace(/<details[\s\S]*?<\/details>/g, '');
}

function inputs(html: string): string[] {
  return html.match(/<input [^>]*>/g) ?? [];
}

describe('the station PIN form', () => {
  it('says the rule in words as the hint of both new-PIN inputs, and never shows the raw rule', () => {
    const html = renderPendingPins(pending('[0-9]{6}'), 120);
    expect(html).toMatch(/<p class="hint" id="([\w-]+-rule)">6 digits<\/p>/);
    const hintId = /<p class="hint" id="([\w-]+-rule)">/.exec(html)?.[1];
    const newPin = inputs(html).filter((i) => /data-part="(pin|confirmation)"/.test(i));
    expect(newPin).toHaveLength(2);
    for (const input of newPin) {
      expect(input).toContain(`aria-describedby="${hintId}"`);
      expect(input).toContain('inputmode="numeric"');
    }
    expect(html).not.toContain('[0-9]{6}');
    expect(html).not.toContain('<details');
  });

  it('shows the fallback for a rule it cannot put in words, the raw rule only inside <details>', () => {
    const rule = '(?:[A-Z]{2}|[0-9]{3})[0-9]{4}';
    const html = renderPendingPins(pending(rule), 120);
    expect(html).toContain('Must match the rule set for this card.');
    expect(html).toContain(
      `<details class="rule"><summary>Show the rule</summary><code>${rule}</code></details>`,
    );
    expect(outsideDetails(html)).not.toContain(rule);
    expect(outsideDetails(html)).not.toContain('[A-Z]');
    for (const input of inputs(html)) expect(input).not.toContain('inputmode');
  });

  it('offers the numeric keypad for digit rules only', () => {
    expect(renderPendingPins(pending('[A-Za-z0-9]{8}'), 60)).toContain('>8 letters or digits<');
    expect(renderPendingPins(pending('[A-Za-z0-9]{8}'), 60)).not.toContain('inputmode');
    expect(renderPendingPins(pending(undefined), 60)).not.toContain('inputmode');
    expect(renderPendingPins(pending(undefined), 60)).not.toContain('aria-describedby');
  });

  it('labels every input, keeps it out of autofill, and gives it no name (a form sent without the script carries no PIN)', () => {
    const html = renderPendingPins(pending('[0-9]{6}', {}), 120);
    const all = inputs(html);
    expect(all).toHaveLength(3);
    for (const input of all) {
      const id = /id="([^"]+)"/.exec(input)?.[1];
      expect(html).toContain(`<label for="${id}">`);
      expect(input).toContain('type="password"');
      expect(input).toContain('autocomplete="off"');
      expect(input).not.toMatch(/\sname=/);
      expect(input).not.toMatch(/\svalue=/);
    }
    expect(html).toContain('>Transport PIN (the one the card came with)</label>');
    expect(html).toContain('>New PIN</label>');
    expect(html).toContain('>New PIN again</label>');
  });

  it('names the job, the card by its ATR-derived name and the reader', () => {
    const html = renderPendingPins(pending('[0-9]{6}'), 120);
    expect(html).toContain('<dt>Job</dt><dd>personalise-idprime, version 3');
    expect(html).toContain('job-7');
    expect(html).toContain('<dt>Card</dt><dd>Gemalto IDPrime 940');
    expect(html).toContain('ATR 3B FF 96 00 00 81 31 FE 43');
    expect(html).toContain('<dt>Reader</dt><dd>Gemalto PC Twin Reader 00 00</dd>');
    const unknown = renderPendingPins(pending('[0-9]{6}', { card: { atr: '3B00', names: [] } }), 1);
    expect(unknown).toContain('<dt>Card</dt><dd>Card not recognised');
  });

  it('says what happens after sending and on timeout, with the countdown the script runs', () => {
    const html = renderPendingPins(pending('[0-9]{6}'), 95);
    expect(html).toContain(
      'The PIN goes straight to the card in Gemalto PC Twin Reader 00 00. It is not stored or sent to the cloud. The job then continues; you can follow it in the console.',
    );
    expect(html).toContain(
      'the request expires: the job stops with PIN_TIMEOUT and nothing is sent to the card.',
    );
    expect(html).toContain('data-seconds-left="95"');
    expect(html).toContain('<strong data-countdown>1:35</strong>');
    expect(html).toContain('<time datetime="2027-01-15T08:02:00.000Z" data-local-time>08:02:00 UTC</time>');
    expect(html).toContain('<p class="visually-hidden" aria-live="polite" data-countdown-live></p>');
    expect(html).toContain('<div class="outcome" role="status" tabindex="-1" data-outcome hidden></div>');
    expect(html).toContain('<button type="submit" class="button button-primary">Send to card</button>');
  });

  it('says "the card" when the reader is not known', () => {
    const { reader: _, ...view } = pending('[0-9]{6}');
    expect(renderPendingPins(view, 5)).toContain('The PIN goes straight to the card. It is not stored');
  });

  it('asks the current PIN for a change-PIN line', () => {
    const view = pending('[0-9]{6}');
    const html = renderPendingPins(
      { ...view, requests: view.requests.map((r) => ({ ...r, askOld: true, askTransport: false })) },
      5,
    );
    expect(html).toContain('>Current PIN</label>');
    expect(html).not.toContain('Transport PIN');
  });

  it('escapes what an encoding or a reader names, so markup in it cannot run or inject', () => {
    const hostile = '<img src=x onerror="alert(1)">';
    const view = pending('[0-9]{6}<script>', {
      application: hostile,
      reader: `R "${hostile}`,
      jobId: hostile,
      encoding: { id: hostile, version: 1 },
      card: { atr: '3B', names: [hostile] },
    });
    const html = renderPendingPins(
      { ...view, requests: view.requests.map((r) => ({ ...r, description: hostile })) },
      5,
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('<code>[0-9]{6}&lt;script&gt;</code>');
  });

  it('counts down in minutes and seconds', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(9)).toBe('0:09');
    expect(clock(120)).toBe('2:00');
    expect(clock(-3)).toBe('0:00');
  });
});
