import { api, authHeaders } from './client';
import { followEventStream } from './event-stream';
import { follow } from './follow';
import type { JobState } from './shared-core';

/** A batch as the API shows it (BatchView, docs/batches.md). */
export interface BatchView {
  batchId: string;
  agentId: string;
  office: string;
  reader: string;
  encoding: { id: string; version: number };
  state: 'RUNNING' | 'STOPPED' | 'COMPLETED' | 'HALTED';
  reason?: string;
  count?: number;
  untilStopped: boolean;
  stopAfterConsecutiveFailures: number;
  startedAt: string;
  startedBy: string;
  endedAt?: string;
  done: number;
  failed: number;
  running: number;
  remaining?: number;
  currentCard: number;
  cardsPerHour: number;
  cards: { index: number; jobId: string; state: JobState; atr?: string; serial?: string }[];
}

export interface NewBatch {
  agentId: string;
  reader: string;
  encodingId: string;
  version?: number;
  count?: number;
  untilStopped?: true;
  csv: string;
  stopAfterConsecutiveFailures?: number;
}

export const batchPath = (batchId: string) => `/v1/batches/${encodeURIComponent(batchId)}`;
export const startBatch = (batch: NewBatch) => api.post<BatchView>('/v1/batches', batch);
export const getBatch = (batchId: string) => api.get<BatchView>(batchPath(batchId));
export const stopBatch = (batchId: string) => api.post<BatchView>(`${batchPath(batchId)}/stop`);

/** A batch no longer changes once it is not RUNNING and none of its cards' jobs is open. */
export const batchSettled = (batch: BatchView) => batch.state !== 'RUNNING' && batch.running === 0;

/**
 * Follows a batch until it settles, pushed by the cloud (`GET /v1/batches/{id}/events`)
 * or polled when the stream cannot be had, like watchJob (job-watch.ts).
 */
export const watchBatch = (
  batchId: string,
  onChange: (batch: BatchView) => void,
  onError: (error: unknown) => void,
): (() => void) =>
  follow({
    load: () => getBatch(batchId),
    settled: batchSettled,
    onChange,
    onError,
    stream: (onValue, signal) =>
      followEventStream({
        url: `${batchPath(batchId)}/events`,
        headers: () => authHeaders(),
        signal,
        onEvent: (event) => {
          if (event.type === 'batch') onValue(JSON.parse(event.data) as BatchView);
        },
      }),
  });
