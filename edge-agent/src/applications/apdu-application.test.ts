import { toHex, validateBundle } from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { InProcessReaders } from '../readers/in-process-readers';
import type { ApplicationContext } from '../runner/application-port';
import { systemClock } from '../runner/clock';
import { FieldStore } from '../runner/field-store';
import { apduApplication } from './apdu-application';

function bundleOf(script: string) {
  const files = {
    'e.ini': 'ApplicationList=A\n[A]\nApduFile=s.apdu\nApduResponseCodesField=CODES\n',
    's.apdu': script,
  };
  const result = validateBundle({
    files: Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })),
  });
  if (!result.bundle) throw new Error(result.problems.map((p) => p.describe()).join('\n'));
  return result.bundle;
}

async function contextFor(
  bundle: ReturnType<typeof bundleOf>,
  answer: (command: string) => string,
  progress: ApplicationContext['progress'] = () => undefined,
): Promise<ApplicationContext> {
  const readers = new InProcessReaders();
  readers.insert('R', {
    atr: Uint8Array.of(0x3b, 0x00),
    reset() {},
    transmit: (command) => Uint8Array.from(Buffer.from(answer(toHex(command)), 'hex')),
  });
  return {
    channel: await readers.connect('R'),
    readers,
    fields: new FieldStore({}, []),
    scripts: bundle.scripts,
    prompter: { askPins: async () => [] },
    clock: systemClock,
    progress,
  };
}

const app = (bundle: ReturnType<typeof bundleOf>) => {
  const first = bundle.encoding.applications[0];
  if (first?.kind !== 'apdu') throw new Error('no APDU application');
  return first;
};

describe('the APDU application', () => {
  it('sends its script, writes the response codes field and tells progress per APDU', async () => {
    const bundle = bundleOf('RAW:00CA010100\nRAW:00CA010200\n');
    const progress: [number, number][] = [];
    const context = await contextFor(
      bundle,
      () => '9000',
      (done, total) => progress.push([done, total]),
    );
    const result = await apduApplication(app(bundle), context);
    expect(result).toMatchObject({ status: 'SUCCEEDED', responseCodes: '9000,9000' });
    expect(context.fields.get('CODES')).toBe('9000,9000');
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });

  it('stops at the first refused status word and sends nothing more', async () => {
    const bundle = bundleOf('RAW:00CA010100\nRAW:00CA010200\n');
    const sent: string[] = [];
    const context = await contextFor(bundle, (command) => {
      sent.push(command);
      return '6A82';
    });
    const result = await apduApplication(app(bundle), context);
    expect(result.status).toBe('FAILED');
    expect(result.failure).toMatchObject({ code: 'CARD_STATUS', line: 1, sw: '6A82' });
    expect(sent).toEqual(['00CA010100']);
  });

  it('refuses an application whose script is not in the bundle', async () => {
    const bundle = bundleOf('RAW:00CA010100\n');
    const context = await contextFor(bundle, () => '9000');
    await expect(apduApplication({ ...app(bundle), apduFile: 'other.apdu' }, context)).rejects.toMatchObject({
      code: 'BUNDLE_MISSING_SCRIPT',
    });
  });
});
