import type { ApduTraceLine, DryRunJob } from '../../api/encodings-api';
import { StatusBadge, Table } from '../ui';

/** `00A40400` → `00 A4 04 00`: bytes apart, so a reader counts them (secret bytes stay `**`). */
export const spacedHex = (hex: string) => hex.match(/.{1,2}/g)?.join(' ') ?? '';

/** Success, warning (62XX/63XX) or error, by ISO/IEC 7816-4 §5.6's status word groups. */
function swTone(sw: string): 'good' | 'busy' | 'bad' {
  if (sw === '9000' || sw.startsWith('61')) return 'good';
  if (sw.startsWith('62') || sw.startsWith('63')) return 'busy';
  return 'bad';
}

/** One application's APDUs as the agent reported them (already redacted, docs/security.md). */
export function ApduTrace({ name, apdus }: { name: string; apdus: ApduTraceLine[] }) {
  if (apdus.length === 0) return <p>No APDU in {name}.</p>;
  return (
    <Table caption={`APDUs sent by ${name}`}>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">Command</th>
          <th scope="col">Status word</th>
          <th scope="col">Meaning</th>
          <th scope="col">Bytes back</th>
        </tr>
      </thead>
      <tbody>
        {apdus.map((apdu, index) => (
          <tr key={`${apdu.line}-${index}`}>
            <td>{apdu.line}</td>
            <td class="mono apdu-hex">{spacedHex(apdu.command)}</td>
            <td>
              <span class={`badge badge-${swTone(apdu.sw)} mono`}>{apdu.sw}</span>
            </td>
            <td>{apdu.meaning}</td>
            <td>{apdu.responseLength}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** A finished job's result: its status, error, and each application's trace. */
export function JobResultTrace({ job }: { job: DryRunJob }) {
  const result = job.result;
  if (!result)
    return (
      <p>
        The job ended ({job.state.toLowerCase()}) without a result{job.reason ? `: ${job.reason}` : ''}.
      </p>
    );
  return (
    <div class="job-trace">
      <p>
        Result: <StatusBadge state={result.status} />
        {result.error ? ` ${result.error.message} (${result.error.code})` : ''}
      </p>
      {result.applications.map((application) => (
        <section key={application.name} aria-label={`Application ${application.name}`}>
          <h4>
            {application.name} ({application.kind}) <StatusBadge state={application.status} />
          </h4>
          {application.failure ? (
            <p class="note note-error">
              {application.failure.line && !application.failure.message.startsWith('line ')
                ? `Line ${application.failure.line}: `
                : ''}
              {application.failure.message} ({application.failure.code}
              {application.failure.sw ? `, SW ${application.failure.sw}` : ''})
            </p>
          ) : null}
          <ApduTrace name={application.name} apdus={application.apdus} />
        </section>
      ))}
    </div>
  );
}
