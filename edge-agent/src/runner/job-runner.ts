import {
  type Application,
  type ApplicationResult,
  GEMALTO_MIDDLEWARE_ATRS,
  type KnownCard,
  matchCardNames,
  type ProgressPhase,
  toHex,
  type ValidatedBundle,
} from '@cardfleet/shared';
import { ReaderLocks } from '../readers/reader-locks';
import type { ReaderPort } from '../readers/reader-port';
import { type ApplicationContext, type ApplicationHandlers, CardLostError } from './application-port';
import { cardSerial, type SerialFields, type TokenIdentity } from './card-serial';
import type { Clock } from './clock';
import { FieldStore } from './field-store';
import type { Prompter } from './prompter';

/**
 * Runs an encoding on the card in one reader: applications in ApplicationList order,
 * each by the handler of its kind, sharing one field store (a field written by one
 * application is readable by the later ones). After a failed application the rest are
 * SKIPPED — personalising on top of a half-done step would leave the card in an
 * unknown state (docs/edge-agent.md, "How a run goes").
 */
export interface ProgressUpdate {
  application: string;
  applicationIndex: number;
  applicationCount: number;
  apdusDone: number;
  apdusTotal: number;
  /** Absent: running. `waiting-for-pin` while the station asks a person for PINs. */
  phase?: ProgressPhase;
}

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
  /** The applications this runner can run (src/applications/ makes them). */
  handlers: ApplicationHandlers;
  onProgress?: (update: ProgressUpdate) => void;
}

export interface EncodingRun {
  status: 'SUCCEEDED' | 'FAILED';
  card: { reader: string; atr: string; cardNames: string[] } & SerialFields;
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
  let token: TokenIdentity | undefined;
  const identity = {
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
      // The counts last reported, so a PIN wait says how far the application got.
      let counts = { apdusDone: 0, apdusTotal: 0 };
      const report = (phase?: ProgressPhase) =>
        input.onProgress?.({
          application: app.name,
          applicationIndex: index,
          applicationCount: count,
          ...counts,
          ...(phase ? { phase } : {}),
        });
      const context: ApplicationContext = {
        channel,
        readers: input.readers,
        fields,
        scripts: bundle.scripts,
        // A job waiting for a person says so; the request's names only, never a typed value.
        prompter: {
          askPins: async (application, requests) => {
            report('waiting-for-pin');
            try {
              return await input.prompter.askPins(application, requests, identity);
            } finally {
              report();
            }
          },
        },
        clock: input.clock,
        identifyToken: (found) => {
          token ??= found;
        },
        progress: (apdusDone, apdusTotal) => {
          counts = { apdusDone, apdusTotal };
          report();
        },
      };
      try {
        applications.push(await runApplication(app, context, input.handlers));
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
  // After the run: a script line may have read the serial into its field.
  const card = { ...identity, ...cardSerial(bundle.encoding, fields, token) };
  const failed = error !== undefined || applications.some((a) => a.status === 'FAILED');
  return { status: failed ? 'FAILED' : 'SUCCEEDED', card, applications, ...(error ? { error } : {}) };
}

/** Dispatches by kind; a kind this station has no handler for fails its application. */
function runApplication(
  app: Application,
  context: ApplicationContext,
  handlers: ApplicationHandlers,
): Promise<ApplicationResult> {
  switch (app.kind) {
    case 'apdu':
      return handlers.apdu(app, context);
    case 'pkcs11':
      return handlers.pkcs11 ? handlers.pkcs11(app, context) : unavailable(app);
    case 'license':
      return handlers.license ? handlers.license(app, context) : unavailable(app);
  }
}

async function unavailable(app: Application): Promise<ApplicationResult> {
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
