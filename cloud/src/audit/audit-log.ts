import { CardfleetError } from '@cardfleet/shared';
import type { CryptoKey } from 'jose';
import type { Signer } from '../crypto/signer';
import { verifySigned } from '../crypto/signer';
import { indexKeys, keys } from '../storage/table-design';
import type { Item, Table } from '../storage/table-port';
import {
  type AuditContent,
  type AuditEntry,
  type ChainHead,
  chainEntry,
  GENESIS_HASH,
  type VerifyOutcome,
  verifyChain,
} from './audit-chain';

/**
 * The audit chain in DynamoDB: one item per entry (conditional put: a seq is written
 * once), and a head item holding the last seq, its hash and the Signer's signature
 * over both. A crash between the entry and the head leaves the head one behind; the
 * next append (or verify) sees the orphan entry and advances the head first.
 */
const CHAIN = 'main';
const HEAD_TYP = 'cardfleet-audit-head+jws';

export class AuditLog {
  constructor(
    private readonly table: Table,
    private readonly signer: Signer,
  ) {}

  async append(content: AuditContent): Promise<AuditEntry> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const head = await this.catchUp();
      const entry = chainEntry(content, head.seq + 1, head.hash);
      if (await this.table.putNew(toItem(entry))) {
        await this.moveHead({ seq: entry.seq, hash: entry.hash });
        return entry;
      }
    }
    throw new CardfleetError('AUDIT_CONTENTION', 'could not append to the audit chain');
  }

  /**
   * Appends once per key, however often it is called: a marker item reserves the key,
   * the entry carries it in `details.dedupeKey`, and a retry after a crash between the
   * two finds the entry in the chain instead of appending it again.
   */
  async appendOnce(dedupeKey: string, content: AuditContent): Promise<AuditEntry> {
    const marker = keys.auditKey(dedupeKey);
    let found: AuditEntry | undefined;
    // A key seen for the first time needs no search. Only when the marker was already
    // there (a retry) is the chain searched for an entry a crash left unrecorded —
    // searching on every call made ingestion quadratic in the chain's length (found
    // by the fleet benchmark).
    if (!(await this.table.putNew({ ...marker, seq: 0 }))) {
      const existing = await this.table.get(marker);
      if (existing && Number(existing.seq) > 0) {
        const entry = await this.table.get(keys.auditEntry(CHAIN, Number(existing.seq)));
        if (entry) return JSON.parse(String(entry.entry)) as AuditEntry;
      }
      found = (await this.entries()).find((e) => e.details?.dedupeKey === dedupeKey);
    }
    const entry =
      found ?? (await this.append({ ...content, details: { ...(content.details ?? {}), dedupeKey } }));
    await this.table.put({ ...marker, seq: entry.seq });
    return entry;
  }

  async entries(): Promise<AuditEntry[]> {
    const items = await this.table.query(keys.auditChain(CHAIN), { beginsWith: keys.auditEntryPrefix });
    return items.map((item) => JSON.parse(String(item.entry)) as AuditEntry);
  }

  /** Recomputes the chain and checks the head's signature. */
  async verify(publicKey: CryptoKey): Promise<VerifyOutcome> {
    const headItem = await this.table.get(keys.auditHead(CHAIN));
    const entries = await this.entries();
    if (!headItem) return verifyChain(entries, undefined);
    const payload = await verifySigned(String(headItem.signature), publicKey);
    const head = payload ? (JSON.parse(new TextDecoder().decode(payload)) as ChainHead) : undefined;
    if (!head || head.seq !== Number(headItem.seq) || head.hash !== String(headItem.hash)) {
      return { ok: false, seq: Number(headItem.seq), reason: 'the chain head signature does not verify' };
    }
    return verifyChain(entries, head);
  }

  /** The head, advanced over an entry a crashed append left behind. */
  private async catchUp(): Promise<ChainHead & { version: number | undefined }> {
    const item = await this.table.get(keys.auditHead(CHAIN));
    let head = {
      seq: item ? Number(item.seq) : 0,
      hash: item ? String(item.hash) : GENESIS_HASH,
      version: item ? Number(item.version) : undefined,
    };
    for (;;) {
      const orphan = await this.table.get(keys.auditEntry(CHAIN, head.seq + 1));
      if (!orphan) return head;
      const entry = JSON.parse(String(orphan.entry)) as AuditEntry;
      await this.moveHead({ seq: entry.seq, hash: entry.hash });
      const next = await this.table.get(keys.auditHead(CHAIN));
      head = {
        seq: Number(next?.seq ?? 0),
        hash: String(next?.hash ?? GENESIS_HASH),
        version: next ? Number(next.version) : undefined,
      };
    }
  }

  private async moveHead(to: ChainHead): Promise<void> {
    const signature = await this.signer.sign(new TextEncoder().encode(JSON.stringify(to)), HEAD_TYP);
    const current = await this.table.get(keys.auditHead(CHAIN));
    if (current && Number(current.seq) >= to.seq) return; // someone advanced it already
    await this.table.putIfVersion(
      {
        ...keys.auditHead(CHAIN),
        seq: to.seq,
        hash: to.hash,
        signature,
        version: (current ? Number(current.version) : 0) + 1,
      },
      current ? Number(current.version) : undefined,
    );
  }
}

function toItem(entry: AuditEntry): Item {
  return {
    ...keys.auditEntry(CHAIN, entry.seq),
    ...indexKeys.auditOfOfficeEntry(entry.office, entry.at, entry.seq),
    entry: JSON.stringify(entry),
  };
}
