import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type AgentView, listAgents } from '../../api/agents-api';
import { presenceChanges } from './presence-changes';

/** How often the fleet page asks for presence (agents announce changes within seconds). */
export const FLEET_REFRESH_MS = 5000;

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
