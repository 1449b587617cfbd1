import { randomUUID } from 'node:crypto';
import {
  CardfleetError,
  canTransition,
  INITIAL_JOB_STATE,
  isOpen,
  isRetryable,
  type JobState,
  type ProgressEvent,
  progressMoves,
  type TransitionCause,
} from '@cardfleet/shared';

export { JOB_STATES, type JobState } from '@cardfleet/shared';

import { LruCache } from '../storage/lru-cache';
import { LOST, retryOptimistic } from '../storage/optimistic-retry';
import { SealedStore } from '../storage/sealed-store';
import { keys } from '../storage/table-design';
import type { Item } from '../storage/table-port';
import { fromItem, openMarker, toItem } from './job-items';
import { type JobFilter, listJobPage } from './job-listing';
import { acceptedProgress } from './job-progress';

/**
 * Jobs: one encoding version for one agent, with job fields. Fields the encoding
 * marks secret are sealed at rest and never returned. State moves by optimistic
 * single-item writes, each allowed by the lifecycle table for its cause
 * (shared/src/jobs/job-lifecycle.ts); every move is kept in `history`.
 */

/** Who moves a job, and for which attempt (an agent's report names its attempt). */
export interface Mover {
  cause: TransitionCause;
  by: string;
  attempt?: number;
  /** Why the cloud ends the job, an error code kept on it and in its audit entry (AGENT_REVOKED). */
  reason?: string;
}

import { type Job, type JobAdmission, type NewJob, releaseAfter } from './job';

export type { Job, JobAdmission, NewJob } from './job';

export class JobStore extends SealedStore {
  /** Job items this instance read or wrote last (a move after a read does not read again). */
  private readonly seen = new LruCache<string, Item>(1000);

  /** Every job created or retried passes it: the release gate (compose.ts; none: every version runs). */
  admission: JobAdmission | undefined;

  async create(input: NewJob, actor: string): Promise<Job> {
    // A dry run passes the gate like any job (admins: any version not retired) but joins no release.
    const gate = await this.admission?.admit(input);
    const admitted = input.dryRun ? {} : gate;
    const jobId = randomUUID();
    const createdAt = this.now();
    const secretNames = new Set(input.secretFieldNames);
    const plain = Object.fromEntries(Object.entries(input.fields).filter(([k]) => !secretNames.has(k)));
    const secret = Object.fromEntries(Object.entries(input.fields).filter(([k]) => secretNames.has(k)));
    const sealed =
      Object.keys(secret).length > 0 ? await this.sealFor(keys.job(jobId), 'secrets', secret) : '';
    const job: Job = {
      jobId,
      agentId: input.agentId,
      office: input.office,
      encoding: input.encoding,
      ...(admitted?.releaseId ? { release: { id: admitted.releaseId } } : {}),
      ...(input.reader ? { reader: input.reader } : {}),
      ...(input.dryRun ? { dryRun: true as const } : {}),
      fields: plain,
      secretFields: [...secretNames].sort(),
      state: INITIAL_JOB_STATE,
      attempt: 1,
      history: [{ state: INITIAL_JOB_STATE, at: createdAt, by: actor }],
      createdAt,
      createdBy: actor,
      ...(input.requestId ? { requestId: input.requestId } : {}),
    };
    await this.table.put(openMarker(jobId));
    if (!(await this.table.putNew({ ...toItem(job, 1), secrets: sealed })))
      throw new CardfleetError('CONFLICT', 'job id collision');
    await this.audit.append({
      at: createdAt,
      actor,
      action: 'job.create',
      office: input.office,
      agentId: input.agentId,
      encoding: input.encoding,
      details: {
        jobId,
        ...(admitted?.releaseId ? { releaseId: admitted.releaseId } : {}),
        ...(input.dryRun ? { dryRun: true } : {}),
      },
    });
    return job;
  }

  async get(jobId: string): Promise<Job | undefined> {
    const item = await this.table.get(keys.job(jobId));
    if (item) this.seen.set(jobId, item);
    return item ? fromItem(item) : undefined;
  }

  /**
   * The values of the job's secret fields, unsealed: for encrypting them to the agent
   * in its envelope only (job-publication.ts), never returned by the API.
   */
  async unsealedSecrets(jobId: string): Promise<Record<string, string>> {
    // Sealed values never change after create: the item just read serves.
    const sealed = String((this.seen.get(jobId) ?? (await this.table.get(keys.job(jobId))))?.secrets ?? '');
    if (!sealed) return {};
    return this.openFrom<Record<string, string>>(keys.job(jobId), 'secrets', sealed);
  }

  /** A page of the jobs of `offices` (the caller's: every office with agents for admins and auditors). */
  listPage(filter: JobFilter, offices: readonly string[], page: { limit: number; cursor?: string }) {
    return listJobPage(this.table, fromItem, filter, offices, page);
  }

  /** The open jobs (QUEUED, SENT, IN_PROGRESS), or those in one state, oldest first. */
  async listOpen(state?: JobState): Promise<Job[]> {
    const open: Job[] = [];
    for (const marker of await this.table.query(keys.openJobs)) {
      const jobId = String(marker.jobId);
      const job = await this.get(jobId);
      if (!job || !isOpen(job.state)) {
        await this.table.delete(keys.openJob(jobId)); // stale: closed after a crash
        continue;
      }
      if (!state || job.state === state) open.push(job);
    }
    return open.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  /**
   * Moves a job to `to`, optimistically: CONFLICT when the lifecycle table does not allow
   * the move from the job's current state for `mover.cause`. With `mover.attempt`, only
   * while the job is still on that attempt: an agent's report of an earlier attempt must
   * not move a job a person has retried since.
   */
  async move(jobId: string, to: JobState, mover: Mover): Promise<Job> {
    return this.rewrite(jobId, mover.by, (job, at) => {
      if (!canTransition(job.state, to, mover.cause))
        throw new CardfleetError('CONFLICT', `job ${jobId} is ${job.state}; it cannot become ${to}`);
      if (mover.attempt !== undefined && job.attempt !== mover.attempt)
        throw new CardfleetError(
          'CONFLICT',
          `job ${jobId} is on attempt ${job.attempt}, not ${mover.attempt}`,
        );
      return transition(job, to, at, mover.by, mover.reason);
    });
  }

  /**
   * An agent's progress on the job's current attempt (docs/messaging.md, "Progress"): kept
   * on the job item, overwritten by each newer event, never audited; the first one moves
   * a SENT job to IN_PROGRESS in the same write. A stale, late or foreign event changes
   * nothing (job-progress.ts).
   */
  async recordProgress(agentId: string, event: ProgressEvent): Promise<Job> {
    const by = `agent:${agentId}`;
    return this.rewrite(event.jobId, by, (job, at) => {
      const progress = acceptedProgress(job, agentId, event, at);
      if (!progress) return undefined;
      const moved = progressMoves(job.state) ? transition(job, 'IN_PROGRESS', at, by) : { job };
      return { ...moved, job: { ...moved.job, progress } };
    });
  }

  /** A person asks to run the job again: a new attempt (a new `jti`), state QUEUED, admitted again. */
  async retry(jobId: string, by: string, role?: string): Promise<Job> {
    const known = await this.get(jobId);
    const admitted = known && (await this.admission?.admit({ ...known, ...(role ? { role } : {}) }));
    return this.rewrite(jobId, by, (job, at) => {
      if (!isRetryable(job.state)) {
        throw new CardfleetError(
          'CONFLICT',
          `job ${jobId} is ${job.state}; only a finished, unsuccessful job can be retried`,
        );
      }
      const attempt = job.attempt + 1;
      const { reason: _ended, progress: _earlier, release: _before, ...kept } = job;
      const rest = { ...kept, ...releaseAfter(job, admitted) };
      return {
        job: { ...rest, attempt, state: 'QUEUED', history: [...job.history, { state: 'QUEUED', at, by }] },
        audit: { action: 'job.retry', details: { jobId, attempt } },
      };
    });
  }

  /**
   * A person cancels: a QUEUED job is CANCELED at once (it never left the cloud). A SENT
   * or IN_PROGRESS one may sit with the agent — queued there, or waiting for its PINs —
   * so the cancel is recorded and sent to it: the agent answers CANCELED while the job
   * has not touched the card; once it has, the job runs to its end and its real result
   * stands (the agent never stops a card operation half-way; only it can tell).
   */
  async requestCancel(jobId: string, by: string): Promise<Job> {
    return this.rewrite(jobId, by, (current, at) => {
      if (canTransition(current.state, 'CANCELED', 'person')) return transition(current, 'CANCELED', at, by);
      if (!isOpen(current.state))
        throw new CardfleetError('CONFLICT', `job ${jobId} is ${current.state}; it cannot be cancelled`);
      if (current.cancel?.attempt === current.attempt) return undefined; // asked already
      return {
        job: { ...current, cancel: { attempt: current.attempt, requestedAt: at, by } },
        audit: { action: 'job.cancel-requested', details: { jobId, attempt: current.attempt } },
      };
    });
  }

  /** The cancel message for the job's current attempt went out. */
  async markCancelSent(jobId: string): Promise<Job> {
    return this.rewrite(jobId, 'cloud', (current, at) =>
      current.cancel && !current.cancel.sentAt
        ? { job: { ...current, cancel: { ...current.cancel, sentAt: at } } }
        : undefined,
    );
  }

  /**
   * Every change of a job item: one optimistic write (retried with jitter, optimistic-retry.ts),
   * the open-job marker kept in step, and the audit entry `change` names (undefined: nothing
   * to do; it throws for a change that is not allowed).
   */
  private async rewrite(
    jobId: string,
    by: string,
    change: (
      job: Job,
      at: string,
    ) => { job: Job; audit?: { action: string; details: Record<string, unknown> } } | undefined,
  ): Promise<Job> {
    return retryOptimistic(
      `job ${jobId}`,
      async (attempt) => {
        // A move right after a read starts from it; a stale item fails its version check,
        // and a refusal or "nothing to do" is decided again on a fresh read.
        const known = attempt === 0 ? this.seen.get(jobId) : undefined;
        const item = known ?? (await this.table.get(keys.job(jobId)));
        if (!item) throw new CardfleetError('NOT_FOUND', `job ${jobId} not found`);
        const job = fromItem(item);
        const at = this.now();
        let changed: ReturnType<typeof change>;
        try {
          changed = change(job, at);
        } catch (error) {
          if (known) return LOST;
          throw error;
        }
        if (!changed) return known ? LOST : job;
        const next = changed.job;
        const moves = next.state !== job.state || next.attempt !== job.attempt;
        const open = isOpen(next.state);
        // The marker is there while the job is open: written only when it opens again.
        if (moves && open && !isOpen(job.state)) await this.table.put(openMarker(jobId));
        const version = Number(item.version);
        const written = { ...toItem(next, version + 1), secrets: String(item.secrets ?? '') };
        if (!(await this.table.putIfVersion(written, version))) {
          this.seen.delete(jobId);
          return LOST;
        }
        this.seen.set(jobId, written);
        if (moves && !open) await this.table.delete(keys.openJob(jobId));
        if (changed.audit)
          await this.audit.append({
            at,
            actor: by,
            action: changed.audit.action,
            office: job.office,
            agentId: job.agentId,
            encoding: job.encoding,
            details: changed.audit.details,
          });
        return next;
      },
      this.retryPolicy,
    );
  }
}

/** A state move: the new state, its history line and its audit entry (with the reason, if any). */
function transition(job: Job, to: JobState, at: string, by: string, reason?: string) {
  return {
    job: {
      ...job,
      state: to,
      history: [...job.history, { state: to, at, by }],
      ...(reason ? { reason } : {}),
    },
    audit: {
      action: `job.${to.toLowerCase()}`,
      details: { jobId: job.jobId, ...(reason ? { reason } : {}) } as Record<string, unknown>,
    },
  };
}
