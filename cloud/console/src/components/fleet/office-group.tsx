import type { AgentRevoked, AgentView } from '../../api/agents-api';
import { AgentCard } from './agent-card';
import { isOnline } from './presence-changes';

/** Agents grouped by office, offices and agents in name order. */
export function groupByOffice(agents: readonly AgentView[]): [office: string, agents: AgentView[]][] {
  const groups = new Map<string, AgentView[]>();
  for (const agent of [...agents].sort((a, b) => a.id.localeCompare(b.id)))
    groups.set(agent.office, [...(groups.get(agent.office) ?? []), agent]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function OfficeGroup({
  office,
  agents,
  mayRevoke,
  onRevoked,
}: {
  office: string;
  agents: AgentView[];
  mayRevoke: boolean;
  onRevoked: (revoked: AgentRevoked) => void;
}) {
  const online = agents.filter(isOnline).length;
  const headingId = `office-${office}`;
  return (
    <section class="fleet-office" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Office {office}{' '}
        <span class="fleet-muted fleet-count">
          {agents.length} {agents.length === 1 ? 'agent' : 'agents'}, {online} online
        </span>
      </h2>
      <ul class="cards fleet-agents">
        {agents.map((agent) => (
          <AgentCard key={agent.id} agent={agent} mayRevoke={mayRevoke} onRevoked={onRevoked} />
        ))}
      </ul>
    </section>
  );
}
