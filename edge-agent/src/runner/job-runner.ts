import {
  type Application,
  type ApplicationResult,
  CardfleetError,
  GEMALTO_MIDDLEWARE_ATRS,
  type KnownCard,
  matchCardNames,
  toHex,
  type ValidatedBundle,
} from '@cardfleet/shared';
import { apduLineCount, CardLostError, runApduApplication } from '../applications/apdu-application';
import { ReaderLocks } from '../readers/reader-locks';
import type { CardChannel, ReaderPort } from '../readers/reader-port';
import type { Clock } from './clock';
import { FieldStore } from './field-store';
import type { Prompter } from './prompter';

/**
 * Runs an encoding on the card in one reader: applications in ApplicationList order,
 * sharing one field store (a field written by one application is readable by the
 * later ones). After a failed application the rest are SKIPPED — personalising on
 * top of a half-done step would leave the card in an unknown state.
 */
export interface ProgressUpdate {
  application: string;
  applicationIndex: number;
  applicationCount: number;
  apdusDone: number;
  apdusTotal: number;
}

/** Runs a PKCS#11 or License application (the PKCS#11 issue provides them). */
export type ApplicationHandler = (
  app: Application,
  context: { channel: CardChannel; fields: FieldStore; readers: ReaderPort },
) => Promise<ApplicationResult>;

export interface RunEncodingInput {
  bundle: ValidatedBundle;
  readers: ReaderPort;
  reader: string;
  fields: Readonly<Record<string, string>>;
  /** Secret job fields (decrypted), kept apart so they are always redacted. */
  secrets?: Readonly<Record<string, string>>;
  prompter: Prompter;
  clock: Clock;
  knownCards?: readonly (readonly KnownCard[])[];
  handlers?: Partial<Record<'pkcs11' | 'license', ApplicationHandler>>;
  onProgress?: (update: ProgressUpdate) => void;
}

export interface EncodingRun {
  status: 'SUCCEEDED' | 'FAILED';
  card: { reader: string; atr: string; cardNames: string[] };
  applications: ApplicationResult[];
  error?: { code: string; message: string };
}

/** Process-wide: two runs on one reader never interleave (see ReaderLocks). */
const readerLocks = new ReaderLocks();

export function runEncoding(input: RunEncodingInput): Promise<EncodingRun> {
  return readerLocks.run(input.reader, () => runLocked(input));
}

async function runLocked(input: RunEncodingInput): Promise<EncodingRun> {
  const { bundle } = input;
  const fields = new FieldStore({ ...input.fields, ...(input.secrets ?? {}) }, [
    ...bundle.secretFields,
    ...Object.keys(input.secrets ?? {}),
  ]);
  const channel = await input.readers.connect(input.reader);
  const card = {
    reader: input.reader,
    atr: toHex(channel.atr),
    cardNames: matchCardNames(channel.atr, input.knownCards ?? [GEMALTO_MIDDLEWARE_ATRS]),
  };
  const applications: ApplicationResult[] = [];
  const count = bundle.encoding.applications.length;
  let error: EncodingRun['error'];
  try {
    for (const [index, app] of bundle.encoding.applications.entries()) {
      if (error || applications.some((a) => a.status === 'FAILED')) {
        applications.push({ name: app.name, kind: app.kind, status: 'SKIPPED', outputs: {}, apdus: [] });
        continue;
      }
      try {
        applications.push(await runApplication(app, index, count, channel, fields, input));
      } catch (caught) {
        if (!(caught instanceof CardLostError)) throw caught;
        const message = fields.redact().text(caught.message);
        error = { code: caught.code, message };
        const line = caught.details?.line;
        applications.push({
          name: app.name,
          kind: app.kind,
          status: 'FAILED',
          outputs: {},
          apdus: [],
          failure: { code: caught.code, message, ...(typeof line === 'number' ? { line } : {}) },
        });
      }
    }
  } finally {
    await channel.disconnect().catch(() => undefined);
  }
  const failed = error !== undefined || applications.some((a) => a.status === 'FAILED');
  return { status: failed ? 'FAILED' : 'SUCCEEDED', card, applications, ...(error ? { error } : {}) };
}

async function runApplication(
  app: Application,
  index: number,
  count: number,
  channel: CardChannel,
  fields: FieldStore,
  input: RunEncodingInput,
): Promise<ApplicationResult> {
  if (app.kind === 'apdu') {
    const script = input.bundle.scripts.get(app.apduFile);
    if (!script) throw new CardfleetError('BUNDLE_MISSING_SCRIPT', `${app.apduFile} is not in the bundle`);
    const total = apduLineCount(script.lines);
    const progress = (done: number) =>
      input.onProgress?.({
        application: app.name,
        applicationIndex: index,
        applicationCount: count,
        apdusDone: done,
        apdusTotal: total,
      });
    progress(0);
    return runApduApplication({
      name: app.name,
      script,
      responseCodesField: app.responseCodesField,
      channel,
      fields,
      prompter: input.prompter,
      clock: input.clock,
      onApdu: (done) => progress(done),
    });
  }
  const handler = input.handlers?.[app.kind];
  if (!handler) {
    return {
      name: app.name,
      kind: app.kind,
      status: 'FAILED',
      outputs: {},
      apdus: [],
      failure: {
        code: 'APPLICATION_KIND_UNAVAILABLE',
        message: `this agent has no ${app.kind === 'license' ? 'license' : 'PKCS#11'} support configured`,
      },
    };
  }
  return handler(app, { channel, fields, readers: input.readers });
}
