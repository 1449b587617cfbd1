import { join } from 'node:path';
import { ApplicationResultSchema, BATCH_CARD_AID_HEX, parseHex, toHex } from '@cardfleet/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { type RunEncodingInput, runEncoding } from '../../edge-agent/src/runner/job-runner';
import type { BatchCard } from '../../edge-agent/src/virtual-card/batch-card';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import type { CardosCard } from '../../edge-agent/src/virtual-card/cardos-card';
import { bundleOf, exampleBundle, examples } from '../support/bundles';
import { cancellingPrompter, scriptedPrompter } from '../support/prompters';
import { type ReaderRig, readerRigs } from '../support/reader-fixtures';

const cardos = () => loadCardProfile(join(examples, 'cards/cardos.json')) as CardosCard;
const ADMIN_KEY = '404142434445464748494A4B4C4D4E4F';
const NEW_KEY = '00112233445566778899AABBCCDDEEFF';

describe.each(readerRigs)('running encodings: $kind', (factory) => {
  let rig: ReaderRig;
  type RunInput = Omit<RunEncodingInput, 'readers' | 'reader' | 'clock' | 'prompter' | 'handlers'> &
    Partial<RunEncodingInput>;
  // Every run's applications must also satisfy the shared result schema.
  const run = async (input: RunInput) => {
    const result = await runEncoding({
      readers: rig.port,
      reader: rig.reader,
      clock: systemClock,
      prompter: scriptedPrompter([]),
      handlers: applicationHandlers(),
      ...input,
    });
    for (const app of result.applications) ApplicationResultSchema.parse(app);
    return result;
  };
  beforeEach(async () => {
    rig = await factory.create();
  });
  afterEach(async () => {
    await rig.close();
  });

  it('reads version and package info (seed example) and fills the response codes', async () => {
    await rig.insert(cardos());
    const result = await run({ bundle: exampleBundle('read-version'), fields: {} });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.card).toMatchObject({ atr: '3BD218008131FE58C90217' });
    const app = result.applications[0];
    expect(app?.responseCodes).toBe('9000,9000');
    expect(app?.outputs).toMatchObject({ CARDOS_VERSION: 'C903', APDU_RESPONSE_CODES_1: '9000,9000' });
    expect(app?.outputs.PACKAGE_INFO).toMatch(/^0105/);
    expect(app?.apdus.map((a) => [a.line, a.command, a.sw])).toEqual([
      [2, '00CA018202', '9000'],
      [3, '00CA0188FF', '9000'],
    ]);
  });

  it('writes EF GDO with two fields concatenated (seed example)', async () => {
    const card = cardos();
    await rig.insert(card);
    const result = await run({
      bundle: exampleBundle('write-ef-gdo'),
      fields: { HELLO: 'Hello', WORLD: ' world' },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(new TextDecoder().decode(card.readFile('2F02')?.subarray(0, 11))).toBe('Hello world');
  });

  it('changes key 8 by challenge/response, never showing the keys (seed example)', async () => {
    const card = cardos();
    await rig.insert(card);
    const result = await run({
      bundle: exampleBundle('change-key'),
      fields: { NEW_KEY },
      secrets: { ADMIN_KEY },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(toHex(card.keyValue(8) ?? new Uint8Array())).toBe(NEW_KEY);
    // CR lines send nothing and add no response code.
    expect(result.applications[1]?.responseCodes).toBe('9000,9000,9000');
    const json = JSON.stringify(result);
    expect(json).not.toContain(NEW_KEY);
    expect(json).not.toContain(ADMIN_KEY);
    // Lc = 2 option bytes + 16 key bytes = 0x12; the key bytes are hidden.
    expect(result.applications[1]?.apdus[2]?.command).toBe(`90241008128F18${'**'.repeat(16)}`);
  });

  it('stops at a refused status word and sends nothing more of the script', async () => {
    const seen: string[] = [];
    await rig.insert(cardos(), 0, (c) => seen.push(toHex(c)));
    const result = await run({
      bundle: exampleBundle('change-key'),
      fields: { NEW_KEY },
      secrets: { ADMIN_KEY: 'FF'.repeat(16) },
    });
    expect(result.status).toBe('FAILED');
    const app = result.applications[1];
    expect(app?.failure).toMatchObject({ code: 'CARD_STATUS', line: 7, sw: '63C2' });
    expect(app?.responseCodes).toBe('9000,63C2');
    expect(seen.filter((c) => c.startsWith('90241008'))).toEqual([]);
  });

  it('runs the seed extended-length line (;300)', async () => {
    await rig.insert(cardos());
    const bundle = bundleOf({
      'e.ini': 'ApplicationList=A\n[A]\nApduFile=x.apdu\n',
      'x.apdu': 'DYN[MY_RESULT]:00AABBCC;FIELD_A+FIELD_B;300\n',
    });
    const result = await run({ bundle, fields: { FIELD_A: 'A1A2', FIELD_B: 'B1B2B3' } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.applications[0]?.apdus[0]).toMatchObject({
      command: '00AABBCC000005A1A2B1B2B3012C',
      responseLength: 300,
    });
    expect(result.applications[0]?.outputs.MY_RESULT).toHaveLength(600);
  });

  it('generates licenses on the batch card until its credit runs out', async () => {
    const batch = loadCardProfile(join(examples, 'cards/batch.json')) as BatchCard;
    await rig.insert(batch);
    const bundle = bundleOf({
      'e.ini': 'ApplicationList=Generate\n[Generate]\nApduFile=generate.apdu\nApduResponseCodesField=CODES\n',
      'generate.apdu': [
        `RAW:00A4040C09${BATCH_CARD_AID_HEX}          # SELECT the license application`,
        'DYN[LICENSE]:00F80000;<string>MODEL+<string>SERIAL+<string>START;136  # GENERATE LICENSE',
      ].join('\n'),
    });
    const fields = { MODEL: 'IDPrime 940     ', SERIAL: '0123456789ABCDEF', START: '20261129' };
    for (let i = 0; i < 3; i++) {
      const result = await run({ bundle, fields });
      expect(result.status).toBe('SUCCEEDED');
      const license = parseHex(result.applications[0]?.outputs.LICENSE ?? '');
      expect(license).toHaveLength(136);
      expect(new TextDecoder().decode(license.subarray(0, 8))).toBe('20271129');
    }
    const exhausted = await run({ bundle, fields });
    expect(exhausted.applications[0]?.failure).toMatchObject({
      sw: '6985',
      message: 'line 2: the card answered 6985 (no more credit (remaining license counter reached zero))',
    });
    expect(batch.credit).toBe(0);
  });

  it('asks every PIN before the first APDU and keeps PINs out of the result', async () => {
    const seen: string[] = [];
    const card = cardos();
    await rig.insert(card, 0, (c) => seen.push(toHex(c)));
    const bundle = bundleOf({
      'e.ini': 'ApplicationList=A\n[A]\nApduFile=pin.apdu\n',
      'pin.apdu': [
        'PIN[<string>NEW_PIN]:PIN_NAME;reg_exp([0-9]{6});TPIN',
        'DYN:00240083;<string>TPIN+<string>NEW_PIN   # CHANGE REFERENCE DATA: transport PIN → new PIN',
      ].join('\n'),
    });
    const prompter = scriptedPrompter([{ transport: '000000', pin: '482913', confirmation: '482913' }]);
    const result = await run({ bundle, fields: { PIN_NAME: 'Signature PIN' }, prompter });
    expect(result.status).toBe('SUCCEEDED');
    expect(prompter.asked).toEqual([
      { line: 1, description: 'Signature PIN', rule: '[0-9]{6}', askOld: false, askTransport: true },
    ]);
    const printed = JSON.stringify(result, (key, value) => (key === 'durationMs' ? undefined : value));
    expect(printed).not.toMatch(/482913|343832393133|000000|303030303030/);
    expect(result.applications[0]?.apdus[0]?.command).toBe(`002400830C${'**'.repeat(12)}`);
  });

  it('reports a wrong transport PIN as 63CX and does not try again', async () => {
    const seen: string[] = [];
    const card = cardos();
    await rig.insert(card, 0, (c) => seen.push(toHex(c)));
    const bundle = bundleOf({
      'e.ini': 'ApplicationList=A\n[A]\nApduFile=pin.apdu\n',
      'pin.apdu':
        'PIN[<string>NEW_PIN]:PIN_NAME;reg_exp([0-9]{6});TPIN\nDYN:00240083;<string>TPIN+<string>NEW_PIN\n',
    });
    const prompter = scriptedPrompter([{ transport: '999999', pin: '482913', confirmation: '482913' }]);
    const result = await run({ bundle, fields: { PIN_NAME: 'PIN' }, prompter });
    expect(result.applications[0]?.failure).toMatchObject({
      code: 'CARD_STATUS',
      sw: '63C2',
      message: expect.stringContaining('2 tries left'),
    });
    expect(seen.filter((c) => c.startsWith('00240083'))).toHaveLength(1);
    expect(card.pinTriesLeft(0x83)).toBe(2);
  });

  it('sends nothing when the PIN prompt is cancelled or the PIN breaks the rule', async () => {
    const seen: string[] = [];
    await rig.insert(cardos(), 0, (c) => seen.push(toHex(c)));
    const bundle = bundleOf({
      'e.ini': 'ApplicationList=A\n[A]\nApduFile=pin.apdu\n',
      'pin.apdu': 'RAW:00CA018202\nPIN[NEW_PIN]:PIN_NAME;reg_exp([0-9]{6})\nDYN:00240081;NEW_PIN\n',
    });
    const cancelled = await run({ bundle, fields: {}, prompter: cancellingPrompter });
    expect(cancelled.applications[0]?.failure?.code).toBe('PIN_CANCELLED');
    const badRule = await run({
      bundle,
      fields: {},
      prompter: scriptedPrompter([{ pin: '12ab', confirmation: '12ab' }]),
    });
    expect(badRule.applications[0]?.failure).toMatchObject({ code: 'PIN_RULE', line: 2 });
    expect(JSON.stringify(badRule)).not.toContain('12ab');
    const mismatch = await run({
      bundle,
      fields: {},
      prompter: scriptedPrompter([{ pin: '123456', confirmation: '123457' }]),
    });
    expect(mismatch.applications[0]?.failure?.code).toBe('PIN_CONFIRMATION');
    expect(seen).toEqual([]);
  });

  it('fails the job with CARD_REMOVED when the card is pulled mid-script', async () => {
    let count = 0;
    const card = cardos();
    await rig.insert(card, 0, () => {
      count++;
      if (count === 1) void rig.remove();
    });
    const result = await run({ bundle: exampleBundle('read-version'), fields: {} });
    expect(result.status).toBe('FAILED');
    expect(result.error?.code).toBe('CARD_REMOVED');
    expect(result.applications[0]).toMatchObject({
      status: 'FAILED',
      failure: { code: 'CARD_REMOVED', line: 3 },
    });
  });

  it('skips the applications after a failed one', async () => {
    await rig.insert(cardos());
    const result = await run({
      bundle: exampleBundle('change-key'),
      fields: {},
      secrets: { ADMIN_KEY: '00' },
    });
    expect(result.applications.map((a) => a.status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(result.applications[1]?.failure?.code).toBe('CR_BAD_KEY_LENGTH');
    const missing = await run({ bundle: exampleBundle('change-key'), fields: {} });
    expect(missing.applications[1]?.failure).toMatchObject({ code: 'CR_KEY_MISSING', line: 5 });
  });
});
