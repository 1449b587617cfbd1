import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { createPkcs11Handler } from '../../edge-agent/src/applications/pkcs11-application';
import { startConsoleServer } from '../../edge-agent/src/console/console-server';
import { PinRequests } from '../../edge-agent/src/console/pin-requests';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { runEncoding } from '../../edge-agent/src/runner/job-runner';
import { checkPinEntries } from '../../edge-agent/src/runner/pin-collection';
import type { PinEntry, PinRequest, Prompter } from '../../edge-agent/src/runner/prompter';
import { closeTokenModules } from '../../edge-agent/src/tokens/pkcs11js-module';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { bundleOf, examples } from '../support/bundles';
import { pcscdRig, type ReaderRig } from '../support/reader-fixtures';
import { vendorModule } from '../support/vendor-module';

const rig = inject('rig');

// The Gemalto guide's flow: "the user changes the signature PIN by entering old and new
// values, at least 4 digits" — written with the operator prompts cardfleet defines
// (docs/encoding-format.md §6.2.1).
const CHANGE_SIGNATURE_PIN = [
  'ApplicationList=ChangeSignaturePin',
  '[ChangeSignaturePin]',
  'PKCS11Library=IDPrimePKCS11.dll',
  'Location=#signature',
  'SignaturePin=?prompt',
  'NewSignaturePin=?prompt',
  'PromptPinRule=[0-9]{4,}',
  'PromptPinText=Change your signature PIN',
].join('\n');

/**
 * Answers like the operator console: it checks the typed entries against the requests
 * (rule, confirmation) with the runner's own check before handing them over, and records
 * when it was asked relative to the module's calls.
 */
function consoleLikePrompter(answers: PinEntry[], moduleCalls: () => string[]) {
  const asked: { requests: PinRequest[]; callsBefore: number }[] = [];
  const prompter: Prompter = {
    async askPins(_application, requests) {
      asked.push({ requests: [...requests], callsBefore: moduleCalls().length });
      checkPinEntries(requests, answers);
      return answers;
    },
  };
  return { prompter, asked };
}

describe('a signature-PIN change typed at the station (vendor module, vpcd card)', () => {
  let vendor: ReturnType<typeof vendorModule>;
  let readers: ReaderRig;
  beforeAll(async () => {
    vendor = vendorModule([{ reader: rig.readerNames[0], main: 'main-0', signature: 'sign-0' }]);
    readers = await pcscdRig.create();
    await readers.insert(loadCardProfile(join(examples, 'cards/cardos.json')), 0);
  });
  afterAll(async () => {
    await readers.close();
    closeTokenModules();
  });

  const run = (prompter: Prompter) =>
    runEncoding({
      bundle: bundleOf({ 'e.ini': CHANGE_SIGNATURE_PIN }),
      readers: readers.port,
      reader: rig.readerNames[0],
      fields: {},
      secrets: {},
      clock: systemClock,
      prompter,
      handlers: applicationHandlers({
        pkcs11: createPkcs11Handler({ modules: { 'IDPrimePKCS11.dll': vendor.module } }),
      }),
    });

  it('refuses a new PIN shorter than 4 digits before any module call', async () => {
    const before = vendor.calls().length;
    const { prompter } = consoleLikePrompter(
      [{ old: '000000', pin: '12', confirmation: '12' }],
      vendor.calls,
    );
    const result = await run(prompter);
    expect(result.applications[0]?.failure?.code).toBe('PIN_RULE');
    expect(vendor.calls().length).toBe(before);
  });

  it('changes the signature PIN to the one typed at the operator console; pkcs11-tool logs in with it and no longer with the old', async () => {
    // The station's real console: the job's prompter posts the request, the operator
    // answers it over loopback HTTP the way the console page does.
    const pins = new PinRequests({ timeoutMs: 20_000 });
    const token = 'station-console-token';
    const station = await startConsoleServer({ requests: pins, token });
    onTestFinished(() => station.close());
    const call = (path: string, body?: unknown) =>
      fetch(new URL(path, station.url), {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    type Pending = { id: string; reader: string; requests: PinRequest[] };
    const operator = (async () => {
      for (let i = 0; i < 400; i++) {
        const { pending } = (await (await call('/api/pending')).json()) as { pending: Pending[] };
        const [request] = pending;
        if (request) {
          const seen = { request, callsWhenAsked: vendor.calls().length };
          const answered = await call(`/api/pending/${request.id}/answer`, {
            entries: [{ old: '000000', pin: '97531864', confirmation: '97531864' }],
          });
          return { ...seen, status: answered.status };
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('no PIN request reached the console');
    })();
    const callsBefore = vendor.calls().length;
    const result = await run(pins.prompter({ jobId: 'job-1', reader: rig.readerNames[0] }));
    const asked = await operator;
    expect(asked.status).toBe(204);
    expect(result.applications[0]?.failure).toBeUndefined();
    expect(result.applications[0]?.steps).toEqual([{ step: 'ChangeSignaturePin', status: 'DONE' }]);
    // Asked once, current and new value in one dialog, before the module saw a call.
    expect(asked.callsWhenAsked).toBe(callsBefore);
    expect(asked.request).toMatchObject({
      reader: rig.readerNames[0],
      requests: [
        {
          line: 6,
          description: 'Change your signature PIN (signature PIN)',
          rule: '[0-9]{4,}',
          askOld: true,
          askTransport: false,
        },
      ],
    });
    // The typed PIN is in no part of the result (which leaves the station).
    expect(JSON.stringify(result)).not.toContain('97531864');
    expect(
      vendor.pkcs11Tool('--token-label', 'sign-0', '--login', '--pin', '97531864', '--list-objects'),
    ).toBeTypeOf('string');
    expect(() =>
      vendor.pkcs11Tool('--token-label', 'sign-0', '--login', '--pin', '000000', '--list-objects'),
    ).toThrow();
  });
});
