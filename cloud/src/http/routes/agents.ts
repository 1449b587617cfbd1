import {
  AddAgentSchema,
  AgentAddedSchema,
  AgentListSchema,
  AgentRevokedSchema,
  AgentViewSchema,
  EnrolAgentSchema,
  ErrorBodySchema,
} from '@cardfleet/shared';
import { createRoute, z } from '@hono/zod-openapi';
import { type RevocationDeps, revokeAgent } from '../../agents/agent-revocation';
import type { AgentStore } from '../../agents/agent-store';
import { notFound } from '../api-error';
import type { App } from '../context';
import {
  conflictAnswer,
  json,
  jsonBody,
  notFoundAnswer,
  refusals,
  rejectInvalid,
  roles,
  tooLargeAnswer,
} from '../openapi';

/** Edge agents (docs/cloud.md): added and revoked by an admin, enrolled by the agent itself. */
const IdParams = z.object({ id: z.string() });
const ENROL_INVALID = 'the body must be { code, publicJwk }';
/** Enrolment takes no token: its 401 is the one answer to every refused code (agent-store.ts). */
const enrolRefusals = {
  400: refusals[400],
  401: json(ErrorBodySchema, 'ENROLMENT_REFUSED: the code is unknown, used or expired'),
  503: refusals[503],
  ...tooLargeAnswer,
} as const;

const add = createRoute({
  method: 'post',
  path: '/v1/agents',
  summary: 'add an agent (admin): returns a one-time enrolment code',
  middleware: [roles('admin')] as const,
  request: { body: jsonBody(AddAgentSchema) },
  responses: {
    201: json(AgentAddedSchema, 'the agent, PENDING, and its code'),
    ...refusals,
    ...conflictAnswer,
    ...tooLargeAnswer,
  },
});

// The agent proves itself with the one-time code, so these routes take the code instead
// of a role or a token (an agent has no token before it is enrolled).
const enrolAgent = createRoute({
  method: 'post',
  path: '/v1/agents/{id}/enrol',
  summary: "enrol with the agent's one-time code and its public key",
  security: [],
  request: { params: IdParams, body: jsonBody(EnrolAgentSchema) },
  responses: { 200: json(AgentViewSchema, 'enrolled (ACTIVE)'), ...enrolRefusals },
});

const enrolByCode = createRoute({
  method: 'post',
  path: '/v1/enrol',
  summary: 'enrol with the one-time code alone (it names its agent)',
  security: [],
  request: { body: jsonBody(EnrolAgentSchema) },
  responses: { 200: json(AgentViewSchema, 'enrolled (ACTIVE)'), ...enrolRefusals },
});

const revoke = createRoute({
  method: 'post',
  path: '/v1/agents/{id}/revoke',
  summary: 'revoke an agent (admin): its open jobs end, the broker disconnects it',
  middleware: [roles('admin')] as const,
  request: { params: IdParams },
  responses: { 200: json(AgentRevokedSchema, 'the agent, REVOKED'), ...refusals, ...notFoundAnswer },
});

const list = createRoute({
  method: 'get',
  path: '/v1/agents',
  summary: 'list agents (operators: their office)',
  middleware: [roles('admin', 'operator', 'auditor')] as const,
  responses: { 200: json(AgentListSchema, 'agents'), ...refusals },
});

export function agentRoutes(app: App, agents: AgentStore, revocation: Omit<RevocationDeps, 'agents'>): void {
  app.openapi(
    add,
    async (c) => {
      const body = c.req.valid('json');
      const { agent, enrolmentCode, enrolmentCodeExpiresAt } = await agents.add(
        body.id,
        body.office,
        c.get('identity').sub,
        body.enrolmentCodeSeconds,
      );
      return c.json({ ...agent, enrolmentCode, enrolmentCodeExpiresAt }, 201);
    },
    rejectInvalid('the body must be { id, office, enrolmentCodeSeconds? }', { issues: true }),
  );

  app.openapi(
    enrolAgent,
    async (c) => {
      const { code, publicJwk } = c.req.valid('json');
      return c.json(await agents.enrol(c.req.valid('param').id, code, publicJwk), 200);
    },
    rejectInvalid(ENROL_INVALID),
  );

  app.openapi(
    enrolByCode,
    async (c) => {
      const { code, publicJwk } = c.req.valid('json');
      const id = await agents.agentForCode(code);
      return c.json(await agents.enrol(id, code, publicJwk), 200);
    },
    rejectInvalid(ENROL_INVALID),
  );

  app.openapi(revoke, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await agents.get(id))) throw notFound(`agent ${id}`);
    // Revocation ends the agent's open jobs and disconnects it (agents/agent-revocation.ts).
    const { agent, endedJobs } = await revokeAgent({ agents, ...revocation }, id, c.get('identity').sub);
    return c.json({ ...agent, endedJobs }, 200);
  });

  app.openapi(list, async (c) => {
    const identity = c.get('identity');
    return c.json(
      { items: await agents.list(identity.role === 'operator' ? identity.office : undefined) },
      200,
    );
  });
}
