import { describe, expect, it } from 'vitest';
import type { AgentView } from '../../api/agents-api';
import { isOnline, presenceChanges } from './presence-changes';

const agent = (id: string, status: 'online' | 'offline' | undefined, state: AgentView['state'] = 'ACTIVE') =>
  ({
    id,
    office: 'local',
    state,
    createdAt: '2026-12-06T09:00:00.000Z',
    ...(status ? { presence: { status, at: '2026-12-06T09:00:00.000Z', readers: [] } } : {}),
  }) satisfies AgentView;

describe('presence changes announced on the fleet page', () => {
  it('names each agent that went online or offline since the last poll', () => {
    expect(
      presenceChanges(
        [agent('a', 'online'), agent('b', 'offline'), agent('c', 'online')],
        [agent('a', 'offline'), agent('b', 'online'), agent('c', 'online')],
      ),
    ).toEqual(['a is now offline', 'b is now online']);
  });

  it('says nothing when nothing moved, nor for an agent that just appeared', () => {
    expect(presenceChanges([agent('a', 'online')], [agent('a', 'online'), agent('new', 'online')])).toEqual(
      [],
    );
  });

  it('counts a revoked agent as offline, whatever its last presence said', () => {
    expect(isOnline(agent('a', 'online', 'REVOKED'))).toBe(false);
    expect(isOnline(agent('a', undefined))).toBe(false);
    expect(presenceChanges([agent('a', 'online')], [agent('a', 'online', 'REVOKED')])).toEqual([
      'a is now offline',
    ]);
  });
});
