import type { CryptoKey } from 'jose';
import { decodeProtectedHeader } from 'jose';
import { verifySigned } from '../crypto/signer';
import { keys } from '../storage/table-design';
import type { Table } from '../storage/table-port';
import { jwsId, REPAIR_TYP } from './audit-checkpoints';

/**
 * What the log knows about damage (docs/cloud.md, "Auditor", the repair procedure): an
 * alert per damaged shard (or `LOG` for the checkpoints), written when tampering is found,
 * and the signed quarantines a repair made. An alert stays, marked repaired, so `audit
 * verify` shows the history. A quarantine counts only when its signature verifies: a
 * table writer cannot quarantine entries away.
 */
export interface Alert {
  shard: number | 'LOG';
  seq: number;
  reason: string;
  at: string;
  repaired?: string;
}

export interface Quarantine {
  shard: number;
  from: number;
  to: number;
  reason: string;
  at: string;
  by: string;
  /** sha256 of the signed quarantine: the next entry of the shard links to it. */
  id: string;
}

export interface AuditState {
  alerts: Alert[];
  quarantines: Quarantine[];
}

export async function readState(table: Table, publicKey: CryptoKey): Promise<AuditState> {
  const items = await table.query(keys.auditState);
  const alerts: Alert[] = [];
  const quarantines: Quarantine[] = [];
  for (const item of items) {
    const sk = String(item.SK);
    if (sk.startsWith('ALERT#')) {
      try {
        alerts.push(JSON.parse(String(item.alert)) as Alert);
      } catch {
        alerts.push({ shard: 'LOG', seq: 0, reason: 'an unreadable alert', at: '' });
      }
    } else if (sk.startsWith('QUAR#')) {
      const jws = String(item.jws);
      const payload = await verifySigned(jws, publicKey);
      if (!payload || safeTyp(jws) !== REPAIR_TYP) continue; // not signed by the cloud: ignored
      quarantines.push({
        ...(JSON.parse(new TextDecoder().decode(payload)) as Omit<Quarantine, 'id'>),
        id: jwsId(jws),
      });
    }
  }
  return { alerts, quarantines };
}

function safeTyp(jws: string): unknown {
  try {
    return decodeProtectedHeader(jws).typ;
  } catch {
    return undefined;
  }
}

export const openAlerts = (state: AuditState) => state.alerts.filter((a) => !a.repaired);

export function quarantineOf(state: AuditState, shard: number, seq: number): Quarantine | undefined {
  return state.quarantines.find((q) => q.shard === shard && q.from <= seq && seq <= q.to);
}

/** Records damage once per shard (a later finding on the same shard keeps the first). */
export async function raiseAlert(table: Table, alert: Alert, log: (line: string) => void): Promise<void> {
  log(
    `AUDIT ALERT: tampering found in ${alert.shard === 'LOG' ? 'the checkpoints' : `shard ${alert.shard}`} at ${alert.seq}: ${alert.reason}`,
  );
  const key = keys.auditAlert(alert.shard);
  const existing = await table.get(key);
  if (existing && !String(existing.alert).includes('"repaired"')) return;
  await table.put({ ...key, alert: JSON.stringify(alert) });
}
