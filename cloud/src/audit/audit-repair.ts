import { CardfleetError } from '@cardfleet/shared';
import { keys } from '../storage/table-design';
import {
  checkpointItems,
  itemIndex,
  jwsId,
  latestCheckpointItem,
  openCheckpoint,
  REPAIR_TYP,
} from './audit-checkpoints';
import type { AuditContext } from './audit-context';
import type { AuditEntry } from './audit-entry';
import { shardTail } from './audit-shards';
import { type Alert, openAlerts, readState } from './audit-state';

export interface RepairRequest {
  /** The damaged shard, or `LOG` for the checkpoints. */
  shard: number | 'LOG';
  /** First damaged sequence number of the shard (the alert's, by default). */
  from?: number;
  /** Last one (by default the shard's end: its last entry or the last checkpoint's position). */
  to?: number;
  reason: string;
  by: string;
}

export interface RepairOutcome {
  shard: number | 'LOG';
  from?: number;
  to?: number;
  /** Checkpoints put back from the witness (a `LOG` repair). */
  restored?: number[];
}

/**
 * The repair procedure (docs/cloud.md, "Auditor"). For the checkpoints: every checkpoint
 * the witness holds and the table lost or holds rewritten is put back from the witness
 * (they carry the cloud's signature, so nothing is trusted from the table). For a shard:
 * the damaged range is quarantined by a signed record — the entries stay for forensics,
 * verification reports them as quarantined instead of failing, checkpoints pass over them,
 * and the shard resumes after the range, linked to the repair. Either way the alert is
 * marked repaired and the repair is itself an audit entry; `append` writes it.
 */
export async function repairLog(
  context: AuditContext,
  append: (content: Omit<AuditEntry, 'shard' | 'seq' | 'prevHash' | 'hash' | 'mac'>) => Promise<AuditEntry>,
  request: RepairRequest,
): Promise<RepairOutcome> {
  const { table, signer, witness, now } = context;
  const state = await readState(table, signer.publicKey);
  const alert = openAlerts(state).find((a) => a.shard === request.shard);
  if (!alert)
    throw new CardfleetError('AUDIT_REPAIR_INVALID', `no open alert for ${request.shard}: nothing to repair`);
  let outcome: RepairOutcome;
  if (request.shard === 'LOG') {
    const restored: number[] = [];
    for await (const item of checkpointItems(table)) {
      const index = itemIndex(item);
      if (await openCheckpoint(String(item.jws), signer.publicKey)) continue;
      const original = await witness.get(index);
      if (original && (await openCheckpoint(original, signer.publicKey))) {
        await table.put({ ...keys.auditCheckpoint(index), jws: original });
        restored.push(index);
      }
    }
    const latest = await latestCheckpointItem(table);
    for (let index = latest ? itemIndex(latest) + 1 : 1; ; index++) {
      const original = await witness.get(index);
      if (!original || !(await openCheckpoint(original, signer.publicKey))) break;
      await table.put({ ...keys.auditCheckpoint(index), jws: original });
      restored.push(index);
    }
    outcome = { shard: 'LOG', restored };
  } else {
    const shard = request.shard;
    if (!Number.isInteger(shard) || shard < 0 || shard >= context.shards)
      throw new CardfleetError('AUDIT_REPAIR_INVALID', `no shard ${shard}`);
    const from = request.from ?? alert.seq;
    const latest = await latestCheckpointItem(table);
    const covered = latest
      ? ((await openCheckpoint(String(latest.jws), signer.publicKey))?.body.shards[shard]?.seq ?? 0)
      : 0;
    const to = request.to ?? Math.max((await shardTail(table, shard))?.seq ?? 0, covered, alert.seq);
    if (!Number.isInteger(from) || from < 1 || to < from || from > alert.seq || to < alert.seq)
      throw new CardfleetError(
        'AUDIT_REPAIR_INVALID',
        `the range ${from}..${to} does not cover the damage at ${alert.seq}`,
      );
    const record = { shard, from, to, reason: request.reason, at: now(), by: request.by };
    const jws = await signer.sign(new TextEncoder().encode(JSON.stringify(record)), REPAIR_TYP);
    await table.put({ ...keys.auditQuarantine(shard, from), jws });
    outcome = { shard, from, to };
    await markRepaired(context, alert, jwsId(jws));
  }
  if (request.shard === 'LOG') await markRepaired(context, alert, 'restored from the witness');
  await append({
    at: now(),
    actor: request.by,
    action: 'audit.repair',
    office: '*',
    details: { ...outcome, reason: request.reason },
  });
  return outcome;
}

async function markRepaired(context: AuditContext, alert: Alert, how: string): Promise<void> {
  const repaired: Alert = { ...alert, repaired: `${context.now()} ${how}` };
  await context.table.put({ ...keys.auditAlert(alert.shard), alert: JSON.stringify(repaired) });
}
