import { useRef, useState } from 'preact/hooks';
import type { AgentRevoked, AgentView } from '../../api/agents-api';
import { StatusBadge, Time } from '../ui';
import { isOnline } from './presence-changes';
import { ReaderList } from './reader-list';
import { RevokeConfirm } from './revoke-confirm';

/** One agent: its state, presence, version, readers and (for admins) Revoke. */
export function AgentCard({
  agent,
  mayRevoke,
  onRevoked,
}: {
  agent: AgentView;
  mayRevoke: boolean;
  onRevoked: (revoked: AgentRevoked) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const online = isOnline(agent);
  const presence = agent.presence;
  const headingId = `agent-${agent.id}`;
  return (
    <li class="card fleet-agent" aria-labelledby={headingId}>
      <div class="fleet-agent-head">
        <h3 id={headingId} class="mono">
          {agent.id}
        </h3>
        <StatusBadge state={agent.state} />
        {agent.state === 'ACTIVE' ? <StatusBadge state={online ? 'online' : 'offline'} /> : null}
      </div>
      <dl class="fleet-facts">
        <dt>Last seen</dt>
        <dd>{agent.lastSeen ? <Time at={agent.lastSeen} /> : 'never'}</dd>
        <dt>Agent version</dt>
        <dd>{presence?.agentVersion ?? 'not reported'}</dd>
        {presence?.startedAt ? (
          <>
            <dt>Started</dt>
            <dd>
              <Time at={presence.startedAt} />
            </dd>
          </>
        ) : null}
        <dt>Added</dt>
        <dd>
          <Time at={agent.createdAt} />
        </dd>
      </dl>
      {presence ? (
        <>
          <h4 class="fleet-subheading">Readers{online ? '' : ' (as last reported)'}</h4>
          <ReaderList agentId={agent.id} readers={presence.readers} />
        </>
      ) : agent.state === 'PENDING' ? (
        <p class="fleet-muted">Waiting for the agent to enrol with its code.</p>
      ) : null}
      {mayRevoke && agent.state !== 'REVOKED' ? (
        confirming ? (
          <RevokeConfirm
            agentId={agent.id}
            onDone={(revoked) => {
              setConfirming(false);
              onRevoked(revoked);
            }}
            onCancel={() => {
              setConfirming(false);
              window.requestAnimationFrame(() => revokeButton.current?.focus());
            }}
          />
        ) : (
          <div class="page-actions">
            <button
              type="button"
              class="button button-danger"
              ref={revokeButton}
              onClick={() => setConfirming(true)}
            >
              Revoke<span class="visually-hidden"> {agent.id}</span>
            </button>
          </div>
        )
      ) : null}
    </li>
  );
}
