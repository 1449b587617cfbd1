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
 * or not yet enrolled agent gets no jobs. Only the code's hash is stored; the code
 * expires (24 h unless the admin sets otherwise) and its item goes when it is used or
 * found expired, and the table's TTL (`expiresAt`, epoch seconds) removes the rest.
 * Every failed enrolment answers the same ENROLMENT_REFUSED, so probes without a valid
 * code learn nothing about which agents exist or what state they are in
 * (docs/security.md, "Someone without an account").
 */
export const DEFAULT_ENROLMENT_CODE_SECONDS = 24 * 3600;

const refused = () =>
  new CardfleetError('ENROLMENT_REFUSED', 'enrolment refused: the code is unknown, used or expired');

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

/** One agent's item, without presence: all the broker authorizer reads (one GetItem). */
export async function readAgent(table: Table, id: string): Promise<Agent | undefined> {
  const item = await table.get(keys.agent(id));
  return item ? toAgent(item) : undefined;
}

export class AgentStore {
  constructor(
    private readonly table: Table,
    private readonly audit: AuditLog,
    private readonly now: () => string,
    private readonly retryPolicy?: RetryPolicy,
  ) {}

  async add(
    id: string,
    office: string,
    actor: string,
    codeSeconds = DEFAULT_ENROLMENT_CODE_SECONDS,
  ): Promise<{ agent: Agent; enrolmentCode: string; enrolmentCodeExpiresAt: string }> {
    const code = randomBytes(16).toString('hex');
    const createdAt = this.now();
    const expiresAt = Math.floor(Date.parse(createdAt) / 1000) + codeSeconds;
    const written = await this.table.putNew({
      ...keys.agent(id),
      ...indexKeys.agentsEntry(office, id),
      agentId: id,
      office,
      state: 'PENDING',
      codeHash: hash(code),
      // Not `expiresAt`: the table's TTL would remove the agent itself.
      codeExpiresAt: expiresAt,
      createdAt,
      version: 1,
    });
    if (!written) throw new CardfleetError('CONFLICT', `agent ${id} already exists`);
    // The code alone finds its agent (`cardfleet-agent enrol --api URL --code CODE`).
    await this.table.put({ ...keys.enrolmentCode(hash(code)), agentId: id, expiresAt });
    await this.audit.append({ at: createdAt, actor, action: 'agent.add', office, agentId: id });
    return {
      agent: { id, office, state: 'PENDING', createdAt },
      enrolmentCode: code,
      enrolmentCodeExpiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }

  /** The agent an enrolment code was issued for (ENROLMENT_REFUSED for an unknown or expired code). */
  async agentForCode(code: string): Promise<string> {
    const key = keys.enrolmentCode(hash(code));
    const item = await this.table.get(key);
    if (!item) throw refused();
    if (this.expired(item.expiresAt)) {
      await this.table.delete(key);
      throw refused();
    }
    return String(item.agentId);
  }

  async enrol(id: string, code: string, publicJwk: unknown): Promise<Agent> {
    // Every refusal is the same answer (refused()): an unauthenticated caller learns
    // nothing about which agents exist or in which state they are.
    const current = await this.table.get(keys.agent(id));
    if (current?.state !== 'PENDING' || !safeEqual(hash(code), String(current.codeHash))) throw refused();
    if (this.expired(current.codeExpiresAt)) {
      await this.table.delete(keys.enrolmentCode(hash(code)));
      throw refused();
    }
    const item = await this.rewrite(id, (latest) => this.enrolled(latest, code, publicJwk));
    await this.table.delete(keys.enrolmentCode(hash(code)));
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
    if (item.state !== 'PENDING' || !safeEqual(hash(code), String(item.codeHash))) throw refused();
    const jwk = AgentPublicJwkSchema.safeParse(publicJwk);
    if (!jwk.success)
      throw new CardfleetError(
        'REQUEST_INVALID',
        'publicJwk must be an EC P-256 public key (kty, crv, x, y)',
      );
    return { ...item, state: 'ACTIVE', codeHash: '', codeExpiresAt: 0, publicJwk: JSON.stringify(jwk.data) };
  }

  /** A code without an expiry (written before codes expired) counts as expired. */
  private expired(expiresAt: Item[string] | undefined): boolean {
    return !(Number(expiresAt) * 1000 > Date.parse(this.now()));
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
    const agent = await readAgent(this.table, id);
    if (!agent) return undefined;
    return options.presence === false ? agent : this.withPresence(agent);
  }

  /**
   * Presence is its own item: frequent updates never race the agent's state. A presence
   * without the agent's version and start time (the last will, an older agent) keeps the
   * ones last announced, so an offline agent still shows what it ran.
   */
  async recordPresence(id: string, presence: Presence): Promise<void> {
    const agent = await readAgent(this.table, id);
    // A revoked agent announces nothing: until its connection ends (in AWS up to the
    // authorizer's refresh) it could otherwise still show itself online.
    if (!agent || agent.state === 'REVOKED') return;
    const announced = presence.agentVersion ? presence : { ...(await this.lastAnnounced(id)), ...presence };
    await this.table.put({
      ...keys.agentPresence(id),
      presence: JSON.stringify(announced),
      lastSeen: this.now(),
    });
  }

  private async lastAnnounced(id: string): Promise<Pick<Presence, 'agentVersion' | 'startedAt'>> {
    const item = await this.table.get(keys.agentPresence(id));
    const { agentVersion, startedAt } = item ? (JSON.parse(String(item.presence)) as Presence) : {};
    return { ...(agentVersion ? { agentVersion } : {}), ...(startedAt ? { startedAt } : {}) };
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
