import { AddAgentSchema, CardfleetError, EnrolAgentSchema } from '@cardfleet/shared';
import { type RevocationDeps, revokeAgent } from '../../agents/agent-revocation';
import type { AgentStore } from '../../agents/agent-store';
import { notFound } from '../api-error';
import { type App, allow, readJson } from '../context';

export function agentRoutes(app: App, agents: AgentStore, revocation: Omit<RevocationDeps, 'agents'>): void {
  app.post('/v1/agents', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin');
    const body = AddAgentSchema.safeParse(await readJson(c.req.raw));
    if (!body.success)
      throw new CardfleetError('REQUEST_INVALID', 'the body must be { id, office, enrolmentCodeSeconds? }', {
        details: { issues: body.error.issues },
      });
    const { agent, enrolmentCode, enrolmentCodeExpiresAt } = await agents.add(
      body.data.id,
      body.data.office,
      identity.sub,
      body.data.enrolmentCodeSeconds,
    );
    return c.json({ ...agent, enrolmentCode, enrolmentCodeExpiresAt }, 201);
  });

  // The agent proves itself with the one-time code, so this route takes the code
  // instead of a role (an agent has no token before it is enrolled).
  app.post('/v1/agents/:id/enrol', async (c) => {
    const body = EnrolAgentSchema.safeParse(await readJson(c.req.raw));
    if (!body.success) throw new CardfleetError('REQUEST_INVALID', 'the body must be { code, publicJwk }');
    return c.json(await agents.enrol(c.req.param('id'), body.data.code, body.data.publicJwk));
  });

  // The same with the code alone: the code names its agent.
  app.post('/v1/enrol', async (c) => {
    const body = EnrolAgentSchema.safeParse(await readJson(c.req.raw));
    if (!body.success) throw new CardfleetError('REQUEST_INVALID', 'the body must be { code, publicJwk }');
    const id = await agents.agentForCode(body.data.code);
    return c.json(await agents.enrol(id, body.data.code, body.data.publicJwk));
  });

  app.post('/v1/agents/:id/revoke', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin');
    if (!(await agents.get(c.req.param('id')))) throw notFound(`agent ${c.req.param('id')}`);
    // Revocation ends the agent's open jobs and disconnects it (agents/agent-revocation.ts).
    const { agent, endedJobs } = await revokeAgent(
      { agents, ...revocation },
      c.req.param('id'),
      identity.sub,
    );
    return c.json({ ...agent, endedJobs });
  });

  app.get('/v1/agents', async (c) => {
    const identity = c.get('identity');
    allow(identity, 'admin', 'operator', 'auditor');
    return c.json({ items: await agents.list(identity.role === 'operator' ? identity.office : undefined) });
  });
}
