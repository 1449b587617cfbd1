import { CardfleetError, type JobResult } from '@cardfleet/shared';
import type { AgentStore } from '../agents/agent-store';
import type { AuditLog } from '../audit/audit-log';
import { DEFAULT_RETRY_POLICY, LOST, type RetryPolicy, retryOptimistic } from '../storage/optimistic-retry';
import { keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';

/**
 * An agent's report that it refused an envelope the cloud never sent it (an unknown hash,
 * or one published to another agent): the one way an agent adds audit entries of its own
 * choosing, so what it can add is bounded (docs/security.md, "An enrolled agent"):
 *   - content: only named fields — the envelope's hash (checked by the result schema), the
 *     reason cut to REJECTION_REASON_MAX characters of a plain charset (an error code such
 *     as the agent sends, edge-agent/src/daemon/job-results.ts), and the agent's own
 *     finishing time re-rendered as an ISO instant and labelled `agentReportedAt`;
 *   - office: the agent's own, from the agent store — never `*`, which its office's
 *     operators do not see;
 *   - time: the server's clock, so the entry sorts where it was received (the audit
 *     listings order by `at`, storage/table-design.ts);
 *   - rate: at most `perMinute` entries per agent per minute, then one entry saying the
 *     budget was spent, then nothing until the next minute.
 * The budget is a counter item per agent and minute written with a conditional put: the
 * ingestion Lambda runs as many instances as messages arrive at once, each with its own
 * memory, so a token bucket in memory would allow `perMinute` per instance and restart
 * full on every cold start; the table is the one place all instances share. It costs a
 * read and a conditional write per report, on this rare path only; the item expires by
 * the table's TTL (`expiresAt`).
 */
export const REJECTION_REASON_MAX = 120;
export const DEFAULT_REJECTIONS_PER_MINUTE = 10;
/** How long a spent window's counter stays before the TTL removes it. */
const BUDGET_TTL_SECONDS = 3600;
const REASON_CHARS = /[^A-Za-z0-9_.:\- ]/g;

export interface RejectionReportOptions {
  perMinute?: number;
  retryPolicy?: RetryPolicy;
}

type Rejection = NonNullable<JobResult['rejection']>;

export class RejectionReports {
  private readonly perMinute: number;
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly table: Table,
    private readonly agents: Pick<AgentStore, 'get'>,
    private readonly audit: AuditLog,
    private readonly now: () => string,
    options: RejectionReportOptions = {},
  ) {
    this.perMinute = options.perMinute ?? DEFAULT_REJECTIONS_PER_MINUTE;
    this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  }

  /** Audits the report within the agent's budget: true when it became an entry. */
  async record(agentId: string, rejection: Rejection, reportedAt: string): Promise<boolean> {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: presence only adds the agent's last status to the read; id and office are the same
    const agent = await this.agents.get(agentId, { presence: false });
    if (!agent)
      throw new CardfleetError('FORBIDDEN', 'a rejection report from an agent the cloud does not know');
    const at = this.now();
    const minute = `${new Date(at).toISOString().slice(0, 16)}Z`;
    const spent = await this.spend(agent.id, minute, at);
    const base = { at, actor: `agent:${agent.id}`, office: agent.office, agentId: agent.id };
    if (spent === 'first-over')
      await this.audit.appendOnce(`rejection-limit:${agent.id}:${minute}`, {
        ...base,
        action: 'envelope.rejections-limited',
        details: { minute, perMinute: this.perMinute },
      });
    if (spent !== 'within') return false;
    const agentReportedAt = isoInstant(reportedAt);
    await this.audit.appendOnce(`rejection:${agent.id}:${rejection.envelopeSha256}`, {
      ...base,
      action: 'envelope.rejected',
      details: {
        envelopeSha256: rejection.envelopeSha256,
        ...boundedReason(rejection.reason),
        ...(agentReportedAt ? { agentReportedAt } : {}),
      },
    });
    return true;
  }

  /** Counts the report in the agent's minute: within the budget, the first over it, or over. */
  private spend(agentId: string, minute: string, at: string): Promise<'within' | 'first-over' | 'over'> {
    const key = keys.agentRejectionBudget(agentId, minute);
    const expiresAt = Math.floor(Date.parse(at) / 1000) + BUDGET_TTL_SECONDS;
    return retryOptimistic(
      `rejection budget of ${agentId}`,
      async () => {
        const item = await this.table.get(key);
        const count = Number(item?.count ?? 0);
        if (count > this.perMinute) return 'over' as const; // no write once the window is spent
        const next = count + 1;
        const written = await this.table.putIfVersion(
          { ...key, count: next, version: next, expiresAt },
          item ? Number(item.version) : undefined,
        );
        if (!written) return LOST;
        return next > this.perMinute ? ('first-over' as const) : ('within' as const);
      },
      this.retryPolicy,
    );
  }
}

/** The reason in a plain charset and at most REJECTION_REASON_MAX characters; a cut one says how long it was. */
export function boundedReason(reason: string): { reason: string; reasonLength?: number } {
  const plain = reason.replace(REASON_CHARS, '?');
  return plain.length <= REJECTION_REASON_MAX
    ? { reason: plain }
    : { reason: plain.slice(0, REJECTION_REASON_MAX), reasonLength: reason.length };
}

/** The agent's time as a 24-character ISO instant, or nothing when it is not a time. */
function isoInstant(text: string): string | undefined {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
