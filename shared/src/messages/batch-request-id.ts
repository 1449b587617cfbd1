// Without an import, so the web console reads batch ids from request ids without bundling zod.
/**
 * The request id of a batch card's job: the agent's request that created it. It travels
 * signed in the job's envelope (`job.requestId`), so the agent knows which card a job is
 * for without any new member on the wire; built and read only here.
 */
export function batchRequestId(batchId: string, cardIndex: number): string {
  return `batch.${batchId}.${cardIndex}`;
}

export function parseBatchRequestId(
  requestId: string | undefined,
): { batchId: string; cardIndex: number } | undefined {
  const match = /^batch\.([A-Za-z0-9][A-Za-z0-9_:-]*)\.([1-9][0-9]{0,8})$/.exec(requestId ?? '');
  return match?.[1] && match[2] ? { batchId: match[1], cardIndex: Number(match[2]) } : undefined;
}
