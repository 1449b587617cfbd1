import type { CryptoKey } from 'jose';
import type { Signer } from '../crypto/signer';
import type { Table } from '../storage/table-port';
import type { CheckpointWitness } from './checkpoint-witness';

/** What every part of the audit log works with: its table, keys, witness and clock. */
export interface AuditContext {
  table: Table;
  signer: Signer & { publicKey: CryptoKey };
  macKey: () => Promise<Uint8Array>;
  witness: CheckpointWitness;
  shards: number;
  now: () => string;
  log: (line: string) => void;
}
