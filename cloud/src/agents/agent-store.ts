import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CardfleetError, type Presence } from '@cardfleet/shared';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import { LOST, type RetryPolicy, retryOptimistic } from '../storage/optimistic-retry';
import { indexKeys, keys } from '../storage/table-design';
import type { Item, Table } from '../storage/table-port';

/**
 * Edge agents: added by an admin (which yields a one-time enrolment code), enrolled
 * once by the agent with that code and its public key, revoked by an admin. A revoked
 * or not yet enrolled agent gets no jobs. Only the code's hash is stored.
 */
export const AGENT_STATES = ['PENDING', 'ACTIVE', 'REVOKED'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const AgentPublicJwkSchema = z
  .object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string().min(40), y: z.string().min(40) })
  .strict();

export interface Agent {
  id: string;
  office: string;
  state: AgentState;
  createdAt: string;
  publicJwk?: z.infer<typeof AgentPublicJwkSchema>;
  presence?: Presence;
  lastSeen?: string;
}

export class AgentStore {
  constructor(
    private readonly table: Table,
    private readonly audit: AuditLog,
    private readonly now: () => string,
    private readonly retryPolicy?: RetryPolicy,
  ) {}

  async add(id: string, office: string, actor: string): Promise<{ agent: Agent; enrolmentCode: string }> {
    const code = randomBytes(16).toString('hex');
    const createdAt = this.now();
    const written = await this.table.putNew({
      ...keys.agent(id),
      ...indexKeys.agentsEntry(office, id),
      agentId: id,
      office,
      state: 'PENDING',
      codeHash: hash(code),
      createdAt,
      version: 1,
    });
    if (!written) throw new CardfleetError('CONFLICT', `agent ${id} already exists`);
    // The code alone finds its agent (`cardfleet-agent enrol --api URL --code CODE`).
    await this.table.put({ ...keys.enrolmentCode(hash(code)), agentId: id });
    await this.audit.append({ at: createdAt, actor, action: 'agent.add', office, agentId: id });
    return { agent: { id, office, state: 'PENDING', createdAt }, enrolmentCode: code };
  }

  /** The agent an enrolment code was issued for (undefined for an unknown code). */
  async agentForCode(code: string): Promise<string | undefined> {
    const item = await this.table.get(keys.enrolmentCode(hash(code)));
    return item ? String(item.agentId) : undefined;
  }

  async enrol(id: string, code: string, publicJwk: unknown): Promise<Agent> {
    const item = await this.rewrite(id, (current) => this.enrolled(current, code, publicJwk));
    await this.audit.append({
      at: this.now(),
      actor: `agent:${id}`,
      action: 'agent.enrol',
      office: String(item.office),
      agentId: id,
    });
    return toAgent(item);
  }

  /** The agent item, changed by `change` under its version (retried with jitter, optimistic-retry.ts). */
  private rewrite(id: string, change: (item: Item) => Item): Promise<Item> {
    return retryOptimistic(
      `agent ${id}`,
      async () => {
        const item = await this.table.get(keys.agent(id));
        if (!item) throw new CardfleetError('NOT_FOUND', `agent ${id} not found`);
        const updated = { ...change(item), version: Number(item.version) + 1 };
        return (await this.table.putIfVersion(updated, Number(item.version))) ? updated : LOST;
      },
      this.retryPolicy,
    );
  }

  private enrolled(item: Item, code: string, publicJwk: unknown): Item {
    if (item.state !== 'PENDING')
      throw new CardfleetError(
        'CONFLICT',
        'this agent is already enrolled (or revoked): an enrolment code works once',
      );
    if (!safeEqual(hash(code), String(item.codeHash)))
      throw new CardfleetError('FORBIDDEN', 'wrong enrolment code');
    const jwk = AgentPublicJwkSchema.safeParse(publicJwk);
    if (!jwk.success)
      throw new CardfleetError(
        'REQUEST_INVALID',
        'publicJwk must be an EC P-256 public key (kty, crv, x, y)',
      );
    return { ...item, state: 'ACTIVE', codeHash: '', publicJwk: JSON.stringify(jwk.data) };
  }

  async revoke(id: string, actor: string): Promise<Agent> {
    const item = await this.rewrite(id, (current) => ({ ...current, state: 'REVOKED' }));
    await this.audit.append({
      at: this.now(),
      actor,
      action: 'agent.revoke',
      office: String(item.office),
      agentId: id,
    });
    return toAgent(item);
  }

  /** The agent; `presence: false` skips the presence item's read (callers that need only state and key). */
  async get(id: string, options: { presence?: boolean } = {}): Promise<Agent | undefined> {
    const item = await this.table.get(keys.agent(id));
    if (!item) return undefined;
    return options.presence === false ? toAgent(item) : this.withPresence(toAgent(item));
  }

  /** Presence is its own item: frequent updates never race the agent's state. */
  async recordPresence(id: string, presence: Presence): Promise<void> {
    if (!(await this.table.get(keys.agent(id)))) return;
    await this.table.put({
      ...keys.agentPresence(id),
      presence: JSON.stringify(presence),
      lastSeen: this.now(),
    });
  }

  private async withPresence(agent: Agent): Promise<Agent> {
    const item = await this.table.get(keys.agentPresence(agent.id));
    return item
      ? { ...agent, presence: JSON.parse(String(item.presence)) as Presence, lastSeen: String(item.lastSeen) }
      : agent;
  }

  /** The offices that have agents (the offices whose jobs admins and auditors see). */
  async offices(): Promise<string[]> {
    const items = await this.table.query(indexKeys.agents, { index: 'GSI1' });
    return [...new Set(items.map((item) => String(item.office)))];
  }

  async list(office?: string): Promise<Agent[]> {
    const items = await this.table.query(indexKeys.agents, {
      index: 'GSI1',
      ...(office ? { beginsWith: indexKeys.agentsOfOffice(office) } : {}),
    });
    return Promise.all(items.map((item) => this.withPresence(toAgent(item))));
  }
}

function toAgent(item: Item): Agent {
  const id = String(item.agentId);
  const jwk = item.publicJwk ? { publicJwk: JSON.parse(String(item.publicJwk)) } : {};
  return {
    id,
    office: String(item.office),
    state: String(item.state) as AgentState,
    createdAt: String(item.createdAt),
    ...jwk,
  };
}

function hash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
