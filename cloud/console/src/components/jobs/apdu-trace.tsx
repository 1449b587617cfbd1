import type { ApduTraceLine } from '../../api/jobs-api';
import { Table } from '../ui';

/**
 * The APDUs one application sent, as the agent reported them (docs/messaging.md: secret
 * bytes already `**`): script line, command, final status word and its meaning, response
 * length and time. Folded by default: a trace can be long.
 */
export function ApduTrace({ application, apdus }: { application: string; apdus: ApduTraceLine[] }) {
  if (apdus.length === 0) return null;
  return (
    <details class="apdu-trace">
      <summary>
        APDU trace of {application} ({apdus.length} command{apdus.length === 1 ? '' : 's'})
      </summary>
      <Table caption={`APDU trace of ${application}`}>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Command</th>
            <th scope="col">Status word</th>
            <th scope="col">Meaning</th>
            <th scope="col">Response bytes</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {apdus.map((apdu, i) => (
            <tr key={i}>
              <td>{apdu.line}</td>
              <td class="mono apdu-command">{apdu.command}</td>
              <td class="mono">{apdu.sw}</td>
              <td>{apdu.meaning}</td>
              <td>{apdu.responseLength}</td>
              <td>{Math.round(apdu.durationMs)} ms</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </details>
  );
}
