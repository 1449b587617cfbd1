/**
 * The few lines `npm run demo` prints for a person (`--json` prints the job document
 * instead): what ran on which reader, the outcome and its reasons, the response codes,
 * the license status when the encoding checked one, and whether the audit chain holds.
 */
export interface DemoJob {
  jobId: string;
  state: string;
  agentId: string;
  encoding: { id: string; version: number };
  result?: {
    card?: { reader: string; cardNames: string[]; serial?: string };
    applications: {
      name: string;
      status: string;
      responseCodes?: string;
      apdus?: { sw: string }[];
      license?: { acceptable: boolean; licensePresent: boolean; endDate: string };
    }[];
  };
}

export function demoSummary(job: DemoJob, reasons: string, audit: { ok: boolean; line: string }): string {
  const card = job.result?.card;
  const on = card
    ? `reader "${card.reader}"${card.cardNames[0] ? ` (${card.cardNames[0]})` : ''}`
    : 'no card reached';
  const applications = job.result?.applications ?? [];
  const codes = applications.map(
    (a) => `${a.name} ${a.responseCodes ?? (a.apdus?.map((x) => x.sw).join(',') || '—')}`,
  );
  const licenses = applications.flatMap((a) =>
    a.license
      ? [
          `${a.name} ${a.license.acceptable ? 'acceptable' : 'NOT acceptable'}${a.license.licensePresent ? '' : ' (no license on the card)'}, until ${a.license.endDate === '00000000' ? 'no limit' : a.license.endDate}`,
        ]
      : [],
  );
  return [
    `ran ${job.encoding.id} v${job.encoding.version} on ${job.agentId}, ${on}: ${job.state}${reasons}`,
    `response codes: ${codes.join('; ') || 'none'}`,
    `license: ${licenses.join('; ') || 'not checked by this encoding'}`,
    `audit chain: ${audit.ok ? 'OK' : 'BROKEN'} (${audit.line})`,
    `job ${job.jobId}: cardfleet jobs show ${job.jobId}; npm run demo -- --json for the whole document`,
    '',
  ].join('\n');
}
