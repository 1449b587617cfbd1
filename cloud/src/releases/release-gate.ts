import {
  CardfleetError,
  type JobResult,
  type JobState,
  type Release,
  type Runnable,
  validateBundle,
} from '@cardfleet/shared';
import type { EncodingStore } from '../encodings/encoding-store';
import { LruCache } from '../storage/lru-cache';
import { addOutcome, thresholdCrossed } from './failure-thresholds';
import { type OperatorPins, operatorPins } from './operator-pins';
import { classifyOutcome } from './outcome-classification';
import type { ReleaseStore } from './release-store';

/**
 * Where releases meet jobs (docs/releases.md): which version a job may run in its office
 * (asked by the job store for every job it creates or retries), whether a queued job is
 * held (asked by the publisher before it signs), and each result counted against the
 * job's release, which halts at once when a threshold is crossed.
 *
 * `open`: versions without a release run anywhere, drafts included — the composition the
 * older tests use (test/support/test-cloud.ts); a deployment is always `enforced`.
 */
export type ReleaseGateMode = 'enforced' | 'open';

export interface AdmissionRequest {
  office: string;
  encoding: { id: string; version: number };
  /** Admins may run a version that is not released (a test on a bench station); it counts for no release. */
  role?: string;
}

/** The job this gate admitted, as the job store keeps it. */
export interface GatedJob {
  jobId: string;
  attempt: number;
  encoding: { id: string; version: number };
  release?: { id: string };
  /** A dry run ran on an agent's in-process card: it says nothing about real cards (docs/releases.md). */
  dryRun?: true;
}

export class ReleaseGate {
  /** Per encoding version: where it presents operator-typed PINs (read from the bundle once). */
  private readonly pins = new LruCache<string, OperatorPins>(64);

  constructor(
    private readonly releases: ReleaseStore,
    private readonly encodings: EncodingStore,
    private readonly mode: ReleaseGateMode = 'enforced',
  ) {}

  /**
   * The release a new job runs under, or none (a legacy version; an admin's job). Refused
   * with RELEASE_NOT_RUNNABLE when the office runs another version or the version is not
   * released, RELEASE_HALTED when the office's release is halted.
   */
  async admit(request: AdmissionRequest): Promise<{ releaseId?: string }> {
    const { office } = request;
    const { id, version } = request.encoding;
    const lifecycle = await this.releases.lifecycles.view(id, version).catch((error: unknown) => {
      // Open: a job on a version the cloud does not hold fails where it is published, as before.
      if (this.mode === 'open' && error instanceof CardfleetError && error.code === 'NOT_FOUND')
        return undefined;
      throw error;
    });
    if (!lifecycle) return {};
    const what = `encoding ${id} version ${version}`;
    if (lifecycle.status === 'retired')
      throw new CardfleetError('RELEASE_NOT_RUNNABLE', `${what} is retired`, {
        details: { status: 'retired' },
      });
    if (request.role === 'admin') return {};
    const run = await this.releases.officeRun(id, office);
    if (run) {
      if (run.version !== version)
        throw new CardfleetError(
          'RELEASE_NOT_RUNNABLE',
          `${office} runs version ${run.version} of ${id}, not ${version}`,
          { details: { office, runnableVersion: run.version, releaseId: run.releaseId } },
        );
      const release = await this.releases.get(run.releaseId);
      if (release?.state === 'HALTED') throw halted(release);
      if (release?.state !== 'ACTIVE')
        throw new CardfleetError('RELEASE_NOT_RUNNABLE', `release ${run.releaseId} of ${what} is not active`);
      return { releaseId: run.releaseId };
    }
    // Legacy versions run anywhere no release says otherwise (the lazy migration).
    if (lifecycle.legacy || this.mode === 'open') return {};
    throw new CardfleetError(
      'RELEASE_NOT_RUNNABLE',
      `${what} is ${lifecycle.status}: not released to ${office}`,
      {
        details: { office, status: lifecycle.status },
      },
    );
  }

  /** RELEASE_HALTED while the job's release is halted: a queued job is not published. */
  async hold(job: GatedJob): Promise<void> {
    if (!job.release) return;
    const release = await this.releases.get(job.release.id);
    if (release?.state === 'HALTED') throw halted(release);
  }

  /** What an office may run of an encoding (operators: what `jobs run` will take). */
  async runnable(encodingId: string, office: string): Promise<Runnable> {
    const run = await this.releases.officeRun(encodingId, office);
    if (run) {
      const release = await this.releases.get(run.releaseId);
      return {
        encodingId,
        office,
        versions: [run.version],
        releaseId: run.releaseId,
        ...(release ? { releaseState: release.state } : {}),
      };
    }
    const latest = (await this.encodings.get(encodingId))?.version ?? 0;
    const versions: number[] = [];
    for (let n = 1; n <= latest; n++) if (await this.runsWithoutRelease(encodingId, n)) versions.push(n);
    return { encodingId, office, versions };
  }

  /** The newest version the office may run, or undefined (none: the encoding's latest is tried). */
  async defaultVersion(encodingId: string, office: string): Promise<number | undefined> {
    const run = await this.releases.officeRun(encodingId, office);
    if (run) return run.version;
    // Newest first: one read per version passed over, usually none.
    for (let n = (await this.encodings.get(encodingId))?.version ?? 0; n >= 1; n--)
      if (await this.runsWithoutRelease(encodingId, n)) return n;
    return undefined;
  }

  private async runsWithoutRelease(encodingId: string, version: number): Promise<boolean> {
    const lifecycle = await this.releases.lifecycles.view(encodingId, version).catch(() => undefined);
    return (
      lifecycle !== undefined && lifecycle.status !== 'retired' && (lifecycle.legacy || this.mode === 'open')
    );
  }

  /**
   * Counts a result against the job's release (docs/releases.md, "What counts") and halts
   * the release at once when a threshold is crossed: the halt is audited as the cloud's.
   * Idempotent per execution (`<jobId>:<attempt>`), like the rest of ingestion.
   */
  async recordOutcome(job: GatedJob, result: JobResult | undefined, state: JobState): Promise<void> {
    if (!job.release || job.dryRun) return;
    const pins = state === 'FAILED' ? await this.pinsOf(job.encoding.id, job.encoding.version) : noPins;
    const outcome = classifyOutcome(state, result, pins);
    const key = `${job.jobId}:${job.attempt}`;
    let crossed: string | undefined;
    const written = await this.releases.rewrite(job.release.id, (release, at) => {
      if (release.state === 'ROLLED_BACK') return undefined;
      const added = addOutcome(release.counts, key, outcome, release.thresholds);
      if (added.duplicate) return undefined;
      const next = { ...release, counts: added.counts };
      crossed = release.state === 'ACTIVE' ? thresholdCrossed(added.counts, release.thresholds) : undefined;
      if (!crossed) return next;
      return {
        ...next,
        state: 'HALTED' as const,
        halt: { at, by: 'cloud', reason: crossed },
        history: [...release.history, { action: 'halt', at, by: 'cloud', offices: release.offices }],
      };
    });
    if (written.changed && crossed)
      await this.releases.record(
        written.release,
        'release.halt',
        'cloud',
        written.at,
        written.release.offices,
        {
          automatic: true,
          reason: crossed,
          jobId: job.jobId,
          counted: written.release.counts.counted,
          failed: written.release.counts.failed,
        },
      );
  }

  private async pinsOf(id: string, version: number): Promise<OperatorPins> {
    const cacheKey = `${id} ${version}`;
    const known = this.pins.get(cacheKey);
    if (known) return known;
    const files = (await this.encodings.sealedBundle(id, version)) ?? [];
    const { bundle } = validateBundle({
      files: files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })),
    });
    const pins = bundle ? operatorPins(bundle) : noPins;
    this.pins.set(cacheKey, pins);
    return pins;
  }
}

const noPins: OperatorPins = { apduLines: new Map(), promptedApps: new Set() };

function halted(release: Release): CardfleetError {
  return new CardfleetError(
    'RELEASE_HALTED',
    `release ${release.releaseId} of ${release.encodingId} version ${release.version} is halted: ${release.halt?.reason ?? 'halted'}`,
    { details: { releaseId: release.releaseId, reason: release.halt?.reason ?? 'halted' } },
  );
}
