/**
 * How a job's progress is put into words, the same in the CLI (`jobs run --wait`, `jobs
 * show --follow`) and the web console: the application and its place in the encoding,
 * then APDU n of m or the PIN wait (docs/messaging.md, "Progress"). Pure, with no
 * import, so the browser bundles it without Node.
 */
export interface ProgressCounts {
  application: string;
  applicationIndex: number;
  applicationCount: number;
  apdusDone: number;
  apdusTotal: number;
  /** Absent in events of agents from before the PIN wait: running. */
  phase?: string | undefined;
}

/** The wording of the PIN wait, which people look for on screen and in logs. */
export const WAITING_FOR_PIN = 'waiting for PIN at the station';

export const isWaitingForPin = (p: ProgressCounts) => p.phase === 'waiting-for-pin';

/** `Personalise (application 2 of 3)`. */
export function applicationPlace(p: ProgressCounts): string {
  return `${p.application} (application ${p.applicationIndex + 1} of ${p.applicationCount})`;
}

/** `APDU 4 of 12`, the PIN wait, or `running` when the application sends no APDU. */
export function progressDoing(p: ProgressCounts): string {
  if (isWaitingForPin(p)) return WAITING_FOR_PIN;
  return p.apdusTotal > 0 ? `APDU ${p.apdusDone} of ${p.apdusTotal}` : 'running';
}
