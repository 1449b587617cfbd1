import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type AgentView, listAgents } from '../../api/agents-api';

/** How often the fleet page asks for presence (agents announce changes within seconds). */
export const FLEET_REFRESH_MS = 5000;

export const isOnline = (agent: AgentView) => agent.state === 'ACTIVE' && agent.presence?.status === 'online';

/**
 * What changed between two polls, in words for the live region: only agents going online
 * or offline are announced — a screen reader is not told every five seconds that nothing
 * moved (WCAG 2.2 SC 4.1.3, status messages).
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

/**
 * The agent list, polled every FLEET_REFRESH_MS while the tab is visible (a hidden tab
 * asks nothing; it refreshes at once when shown again, Page Visibility API).
 */
export function useFleet(): {
  agents: AgentView[] | undefined;
  error: unknown;
  announcement: string;
  reload: () => Promise<void>;
} {
  const [agents, setAgents] = useState<AgentView[]>();
  const [error, setError] = useState<unknown>();
  const [announcement, setAnnouncement] = useState('');
  const previous = useRef<AgentView[] | undefined>(undefined);

  const reload = useCallback(async () => {
    try {
      const next = await listAgents();
      if (previous.current) {
        const changes = presenceChanges(previous.current, next);
        if (changes.length > 0) setAnnouncement(`${changes.join('. ')}.`);
      }
      previous.current = next;
      setAgents(next);
      setError(undefined);
    } catch (caught) {
      setError(caught);
    }
  }, []);

  useEffect(() => {
    let timer: number | undefined;
    let alive = true;
    const schedule = () => {
      window.clearTimeout(timer);
      if (alive && document.visibilityState === 'visible')
        timer = window.setTimeout(() => void reload().finally(schedule), FLEET_REFRESH_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void reload().finally(schedule);
      else window.clearTimeout(timer);
    };
    void reload().finally(schedule);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      alive = false;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [reload]);

  return { agents, error, announcement, reload };
}
