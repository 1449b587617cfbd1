import type { z } from 'zod';
import type {
  AgentAddedSchema,
  AgentRevokedSchema,
  AgentViewSchema,
} from '../../../../shared/src/messages/api-schemas';
import { api } from './client';

/**
 * The fleet's API calls (docs/api.md, `/v1/agents`). Types come from the shared zod
 * schemas the API validates with, so the console and the API cannot drift apart.
 */
export type AgentView = z.infer<typeof AgentViewSchema>;
export type AgentAdded = z.infer<typeof AgentAddedSchema>;
export type AgentRevoked = z.infer<typeof AgentRevokedSchema>;
export type ReaderView = NonNullable<AgentView['presence']>['readers'][number];

/** Every agent the caller may see (operators: their office only — the API scopes it). */
export const listAgents = () => api.get<{ items: AgentView[] }>('/v1/agents').then(({ items }) => items);

/** Adds a PENDING agent; the answer carries its one-time enrolment code (never shown again). */
export const addAgent = (request: { id: string; office: string; enrolmentCodeSeconds?: number }) =>
  api.post<AgentAdded>('/v1/agents', request);

/** Revokes an agent: its open jobs end (CANCELED, AGENT_REVOKED) and the broker drops it. */
export const revokeAgent = (id: string) =>
  api.post<AgentRevoked>(`/v1/agents/${encodeURIComponent(id)}/revoke`);
