import type { Application, ApplicationResult, JobClaims } from '@cardfleet/shared';
import { InProcessReaders } from '../readers/in-process-readers';
import type { ReaderPort } from '../readers/reader-port';
import type { ApplicationHandlers } from '../runner/application-port';
import type { VirtualCard } from '../virtual-card/virtual-card';

/**
 * Where a job runs (docs/security.md, "Dry runs"): a job for the card runs on the
 * station's readers; a dry run (signed `job.dryRun`) runs ONLY on a fresh in-process
 * card made from the agent's dry-run card profile, in a reader port of its own that
 * holds nothing else — never on a reader, whatever reader the job names. The two never
 * meet: the station's port does not hold the dry-run card, so a job without the flag
 * naming the dry-run reader finds no such reader (UNKNOWN_READER). An agent without a
 * dry-run card refuses a dry run (DRY_RUN_UNAVAILABLE) before any reader is opened.
 */
export const DRY_RUN_READER = 'Dry-run Reader';

export interface JobTarget {
  readers: ReaderPort;
  reader: string;
  handlers: ApplicationHandlers;
  /** Releases what the target holds (a dry run's own reader port). */
  close: () => Promise<void>;
}

export interface StationReaders {
  readers: ReaderPort;
  defaultReader: string;
  handlers: ApplicationHandlers;
  /** Makes the card a dry run runs on, fresh for each: no dry run sees another's writes. */
  dryRunCard?: () => VirtualCard;
}

export type TargetDecision =
  | { kind: 'run'; target: JobTarget }
  | { kind: 'refused'; error: { code: 'DRY_RUN_UNAVAILABLE'; message: string } };

export function jobTarget(
  job: Pick<JobClaims['job'], 'dryRun' | 'reader'>,
  station: StationReaders,
): TargetDecision {
  if (job.dryRun !== true)
    return {
      kind: 'run',
      target: {
        readers: station.readers,
        reader: job.reader ?? station.defaultReader,
        handlers: station.handlers,
        close: async () => undefined,
      },
    };
  if (!station.dryRunCard)
    return {
      kind: 'refused',
      error: {
        code: 'DRY_RUN_UNAVAILABLE',
        message: 'this agent has no dry-run card (setting "dryRunCard"); a dry run never runs on a reader',
      },
    };
  const readers = new InProcessReaders();
  readers.insert(DRY_RUN_READER, station.dryRunCard());
  return {
    kind: 'run',
    target: {
      readers,
      reader: DRY_RUN_READER,
      handlers: { apdu: station.handlers.apdu, pkcs11: notDryRunnable, license: notDryRunnable },
      close: () => readers.close(),
    },
  };
}

/**
 * PKCS#11 and License applications are skipped in a dry run: their vendor middleware
 * finds tokens through PC/SC, that is on the station's real readers, and cannot see the
 * in-process card (docs/security.md, "Dry runs"). Skipped, not failed: the APDU
 * applications around them still show their trace.
 */
async function notDryRunnable(app: Application): Promise<ApplicationResult> {
  return {
    name: app.name,
    kind: app.kind,
    status: 'SKIPPED',
    outputs: {},
    apdus: [],
    failure: {
      code: 'DRY_RUN_NOT_RUNNABLE',
      message: `${app.kind === 'license' ? 'License' : 'PKCS#11'} applications are not dry-runnable: their middleware reaches the station's readers, not the dry-run card`,
    },
  };
}
