import type { ApplicationResult, JobResult } from '@cardfleet/shared';

/**
 * The cancel rule (docs/messaging.md, "Cancel"). A verified cancel is recorded while
 * the execution has no result — also before its envelope arrived — and it decides the
 * outcome only while the execution has not touched the card: before it started, or
 * while it waited for its PINs. A job on the card runs to its end (the agent never
 * stops a card operation half-way), and its real result stands.
 */
export function recordsCancel(execution: { result?: JobResult } | undefined): boolean {
  return execution?.result === undefined;
}

/** A recorded cancel ends the execution CANCELED: nothing ran yet, or nothing reached the card. */
export function endsCancelled(cancelled: boolean, applications: readonly ApplicationResult[] = []): boolean {
  return cancelled && applications.every(untouchedCard);
}

/** No APDU sent and no token step done. */
function untouchedCard(application: ApplicationResult): boolean {
  return application.apdus.length === 0 && !(application.steps ?? []).some((step) => step.status === 'DONE');
}
