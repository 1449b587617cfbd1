import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { may } from '../access';
import type { AgentAdded, AgentRevoked } from '../api/agents-api';
import { AddAgentForm } from '../components/fleet/add-agent-form';
import { EnrolmentCodePanel } from '../components/fleet/enrolment-code-panel';
import { groupByOffice, OfficeGroup } from '../components/fleet/office-group';
import { FLEET_REFRESH_MS, useFleet } from '../components/fleet/use-fleet';
import { Link } from '../components/link';
import { ErrorNote, Loading, PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

/**
 * The fleet (docs/cloud.md, agents): every agent the caller may see by office, with its
 * live presence, readers and cards; admins add agents (one-time enrolment code) and revoke.
 */
export function FleetPage({ identity }: PageProps) {
  const { agents, error, announcement, reload } = useFleet();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<AgentAdded>();
  const [revoked, setRevoked] = useState<AgentRevoked>();
  const groups = agents ? groupByOffice(agents) : [];
  const offices = groups.map(([office]) => office);
  const revokedNote = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  // Back from the form or the code panel, focus returns to where it came from.
  const backToAdd = () => window.requestAnimationFrame(() => addButton.current?.focus());
  // The confirmation that had focus is gone: focus moves to what happened instead.
  useEffect(() => revokedNote.current?.focus(), [revoked]);

  return (
    <>
      <PageHeader title="Fleet">
        {may.addAgent(identity) && !adding && !added ? (
          <button type="button" class="button button-primary" ref={addButton} onClick={() => setAdding(true)}>
            Add an agent
          </button>
        ) : null}
      </PageHeader>
      <p class="fleet-muted">
        {identity.role === 'operator' ? `Agents of office ${identity.office ?? ''}. ` : ''}
        Presence refreshes every {FLEET_REFRESH_MS / 1000} seconds while this tab is visible.
      </p>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="presence-announcer">
        {announcement}
      </div>
      {adding ? (
        <AddAgentForm
          offices={offices}
          onCancel={() => {
            setAdding(false);
            backToAdd();
          }}
          onAdded={(agent) => {
            setAdding(false);
            setAdded(agent);
            void reload();
          }}
        />
      ) : null}
      {added ? (
        <EnrolmentCodePanel
          added={added}
          onDone={() => {
            setAdded(undefined);
            backToAdd();
          }}
        />
      ) : null}
      {revoked ? (
        <div class="note note-good" role="status" tabIndex={-1} ref={revokedNote}>
          Revoked {revoked.id}.{' '}
          {revoked.endedJobs.length === 0 ? (
            'It had no open jobs.'
          ) : (
            <>
              Ended {revoked.endedJobs.length} open {revoked.endedJobs.length === 1 ? 'job' : 'jobs'}:{' '}
              {revoked.endedJobs.map((jobId, i) => (
                <Fragment key={jobId}>
                  {i > 0 ? ', ' : ''}
                  <Link to={`/jobs/${jobId}`} class="mono">
                    {jobId}
                  </Link>
                </Fragment>
              ))}
              .
            </>
          )}
        </div>
      ) : null}
      <ErrorNote error={error} />
      {agents === undefined && !error ? <Loading what="Loading the fleet" /> : null}
      {agents?.length === 0 ? <p>No agents yet.</p> : null}
      {groups.map(([office, officeAgents]) => (
        <OfficeGroup
          key={office}
          office={office}
          agents={officeAgents}
          mayRevoke={may.revokeAgent(identity)}
          onRevoked={(answer) => {
            setRevoked(answer);
            void reload();
          }}
        />
      ))}
    </>
  );
}
