import type { ApplicationResult, JobResult, LicenseStatus } from '../../api/jobs-api';
import { describeStatusWord } from '../../api/shared-core';
import { StatusBadge, Table, Time } from '../ui';
import { ApduTrace } from './apdu-trace';

/**
 * Each response code of an application with its meaning: the agent's own meaning from the
 * trace when the codes line up with it (it knows the application's status-word table),
 * else ISO 7816-4's (shared/src/status-words).
 */
export function responseCodeMeanings(app: ApplicationResult): { sw: string; meaning: string }[] {
  const codes = (app.responseCodes ?? '').split(',').filter((c) => /^[0-9A-F]{4}$/.test(c));
  return codes.map((sw, i) => {
    const traced = app.apdus[i];
    return {
      sw,
      meaning: traced?.sw === sw ? traced.meaning : describeStatusWord(Number.parseInt(sw, 16)).meaning,
    };
  });
}

/** `YYYYMMDD` as a date; `00000000` means no limit (docs/encoding-format.md, license). */
const licenseDate = (yyyymmdd: string) =>
  yyyymmdd === '00000000'
    ? 'no limit'
    : `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}`;

/** The result of the job's current attempt: the card, then each application's outcome. */
export function JobResultView({ result }: { result: JobResult }) {
  return (
    <section class="job-result" aria-labelledby="job-result-title">
      <h2 id="job-result-title">Result</h2>
      <dl class="facts">
        <dt>Agent reported</dt>
        <dd>
          <StatusBadge state={result.status} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <Time at={result.finishedAt} />
        </dd>
        {result.card ? (
          <>
            <dt>Card</dt>
            <dd>
              {result.card.serial ? `serial ${result.card.serial}, ` : ''}
              {result.card.cardNames.join(', ') || 'unknown card'} in {result.card.reader}
              <span class="muted-line mono">ATR {result.card.atr}</span>
            </dd>
          </>
        ) : null}
      </dl>
      {result.error ? (
        <p class="note note-error">
          {result.error.message} ({result.error.code})
        </p>
      ) : null}
      {result.rejection ? (
        <p class="note note-error">The agent rejected the job: {result.rejection.reason}</p>
      ) : null}
      {result.applications.map((app) => (
        <ApplicationOutcome key={app.name} app={app} />
      ))}
    </section>
  );
}

function ApplicationOutcome({ app }: { app: ApplicationResult }) {
  const codes = responseCodeMeanings(app);
  const outputs = Object.entries(app.outputs);
  return (
    <article class="application-result">
      <h3>
        {app.name} <span class="muted-inline">({app.kind})</span> <StatusBadge state={app.status} />
      </h3>
      {app.failure ? (
        <p class="note note-error">
          {app.failure.line !== undefined ? `Line ${app.failure.line}: ` : ''}
          {app.failure.message} ({app.failure.code}
          {app.failure.sw
            ? `, ${app.failure.sw}: ${describeStatusWord(Number.parseInt(app.failure.sw, 16)).meaning}`
            : ''}
          )
        </p>
      ) : null}
      {codes.length ? (
        <>
          <h4>Response codes</h4>
          <ol class="response-codes">
            {codes.map((c, i) => (
              <li key={i}>
                <span class="mono">{c.sw}</span> — {c.meaning}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {outputs.length ? (
        <Table caption={`Output fields of ${app.name}`}>
          <thead>
            <tr>
              <th scope="col">Output field</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {outputs.map(([name, value]) => (
              <tr key={name}>
                <th scope="row" class="mono">
                  {name}
                </th>
                <td class="mono">{value}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {app.license ? <LicenseFacts license={app.license} /> : null}
      {app.steps?.length ? (
        <ol class="steps">
          {app.steps.map((s, i) => (
            <li key={i}>
              {s.step}: {s.status.toLowerCase()}
              {s.detail ? ` — ${s.detail}` : ''}
            </li>
          ))}
        </ol>
      ) : null}
      <ApduTrace application={app.name} apdus={app.apdus} />
    </article>
  );
}

const yes = (value: boolean) => (value ? 'yes' : 'no');

function LicenseFacts({ license }: { license: LicenseStatus }) {
  return (
    <>
      <h4>License</h4>
      <dl class="facts">
        <dt>Acceptable</dt>
        <dd>{yes(license.acceptable)}</dd>
        <dt>License present</dt>
        <dd>{yes(license.licensePresent)}</dd>
        <dt>Serial valid</dt>
        <dd>{yes(license.serialValid)}</dd>
        <dt>Date valid</dt>
        <dd>
          {yes(license.dateValid)} ({licenseDate(license.startDate)} to {licenseDate(license.endDate)})
        </dd>
        {license.batchCardCredit !== undefined ? (
          <>
            <dt>Cards left on the batch card</dt>
            <dd>{license.batchCardCredit}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}
