import type { AgentView } from '../../api/agents-api';

/** Online: enrolled, not revoked, and its last presence said so (the broker's last will says offline). */
export const isOnline = (agent: AgentView) => agent.state === 'ACTIVE' && agent.presence?.status === 'online';

/**
 * What changed between two polls, in words for the live region: only agents going online
 * or offline are announced — a screen reader is not told every five seconds that nothing
 * moved (WCAG 2.2 SC 4.1.3, status messages). An agent new to the list is no change.
 */
export function presenceChanges(before: readonly AgentView[], after: readonly AgentView[]): string[] {
  const was = new Map(before.map((agent) => [agent.id, isOnline(agent)]));
  const changes: string[] = [];
  for (const agent of after) {
    const previously = was.get(agent.id);
    if (previously === undefined || previously === isOnline(agent)) continue;
    changes.push(`${agent.id} is now ${isOnline(agent) ? 'online' : 'offline'}`);
  }
  return changes;
}
