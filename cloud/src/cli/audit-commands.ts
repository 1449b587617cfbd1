import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CardfleetError } from '@cardfleet/shared';
import { decodeProtectedHeader, type JWK } from 'jose';
import { type Checkpoint, openCheckpoint } from '../audit/audit-checkpoints';
import { entryCard, entryLeaf } from '../audit/audit-entry';
import type { CardProof, ConsistencyAnswer } from '../audit/audit-proofs';
import type { VerifyReport } from '../audit/audit-verify';
import { directoryWitness } from '../audit/checkpoint-witness';
import { verifyConsistency, verifyInclusion } from '../audit/merkle';
import type { ApiClient } from './api-client';
import type { CliIo } from './cli-io';

/**
 * The auditor's commands (docs/cloud.md, "Auditor"). `audit verify` trusts the cloud's
 * answer only as far as it can check it: the newest checkpoint's signature, a consistency
 * proof from the last checkpoint this auditor verified (kept in its config dir, or
 * `--state`), the witness directory when given — then asks the cloud to check the entries
 * since that checkpoint, not the whole log. `audit verify-proof` needs no cloud at all.
 */
export interface AuditOptions {
  json: boolean;
  card?: string | undefined;
  key?: string | undefined;
  state?: string | undefined;
  witness?: string | undefined;
  shard?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  reason?: string | undefined;
  full: boolean;
}

type Verified = { index: number; size: number; root: string; checkpoint: string };

export async function auditCommand(
  action: string,
  target: string | undefined,
  options: AuditOptions,
  api: () => ApiClient,
  io: CliIo,
): Promise<number> {
  const print = (human: string, data: unknown) =>
    io.stdout(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
  // No --state and no config dir in the environment (a test): nothing is kept.
  const dir = configDir(io.env);
  const statePath = options.state ?? (dir ? join(dir, 'audit-checkpoint.json') : undefined);
  switch (action) {
    case 'verify': {
      const client = api();
      const keys = options.key
        ? readKeys(options.key)
        : ((await client.request('GET', '/.well-known/jwks.json')).json as { keys: JWK[] }).keys;
      const findings: string[] = [];
      // A checkpoint the cloud refuses to stand behind is a finding, and the verify goes on.
      const latest = (await client.request('GET', '/v1/audit/checkpoint').then(
        (answer) => answer.json,
        (error: unknown) => {
          if (!(error instanceof CardfleetError) || error.code !== 'AUDIT_TAMPERED') throw error;
          findings.push(error.message);
          return { index: 0, size: 0, root: '', checkpoint: '' };
        },
      )) as Verified;
      const last = readState(statePath);
      const opened = latest.index > 0 ? await openWith(latest.checkpoint, keys) : undefined;
      if (latest.index > 0 && !opened)
        findings.push('the newest checkpoint does not carry the cloud signature');
      if (last && !options.full) {
        if (latest.index < last.index)
          findings.push(
            `the cloud's newest checkpoint ${latest.index} is older than ${last.index}, which this auditor verified: rolled back`,
          );
        else if (latest.index === last.index && latest.checkpoint !== last.checkpoint)
          findings.push(`checkpoint ${last.index} is not the one this auditor verified`);
        else if (latest.index > last.index) {
          const answer = (await client.request('GET', `/v1/audit/consistency?from=${last.index}`))
            .json as ConsistencyAnswer;
          const [from, to] = [await openWith(answer.from, keys), await openWith(answer.to, keys)];
          const proof = answer.proof.map((h) => Buffer.from(h, 'hex'));
          if (answer.from !== last.checkpoint || answer.to !== latest.checkpoint || !from || !to)
            findings.push(
              `the consistency proof is not between checkpoints ${last.index} and ${latest.index}`,
            );
          else if (
            !verifyConsistency(from.body.size, to.body.size, hex(from.body.root), hex(to.body.root), proof)
          )
            findings.push(
              `checkpoint ${latest.index} does not extend checkpoint ${last.index}: history rewritten`,
            );
        }
      }
      if (options.witness && latest.index > 0) {
        const witness = directoryWitness(options.witness);
        if ((await witness.get(latest.index)) !== latest.checkpoint)
          findings.push(`checkpoint ${latest.index} is not the one the witness holds`);
        if (await witness.get(latest.index + 1))
          findings.push(
            `the witness holds checkpoint ${latest.index + 1}: the cloud's checkpoints were rolled back`,
          );
      }
      const incremental = last && !options.full && findings.length === 0 && latest.index >= last.index;
      const report = (
        await client.request('GET', `/v1/audit/verify${incremental ? `?from=${last.index}` : ''}`)
      ).json as VerifyReport;
      const broken = [
        ...findings.map((f) => `audit log BROKEN at the checkpoints: ${f}`),
        ...report.problems.map(describe),
      ];
      const alerts = report.alerts.map(
        (a) =>
          `ALERT ${a.shard === 'LOG' ? 'checkpoints' : `shard ${a.shard}`} at ${a.seq}: ${a.reason}${a.repaired ? ` (repaired ${a.repaired})` : ''}`,
      );
      const quarantined = report.quarantined.map(
        (q) => `quarantined shard ${q.shard} entries ${q.from}..${q.to} by ${q.by}: ${q.reason}`,
      );
      if (broken.length === 0 && latest.index > 0) writeState(statePath, latest);
      const head = broken.length
        ? broken.join('\n')
        : `audit log intact: ${report.entries} entries checked${incremental ? ` since checkpoint ${last.index}` : ''}; checkpoint ${latest.index} covers ${latest.size} (root ${latest.root.slice(0, 16)}…), ${report.uncovered} not yet covered`;
      print([head, ...alerts, ...quarantined].join('\n'), { ...report, findings });
      return broken.length ? 1 : 0;
    }
    case 'prove': {
      if (!options.card) throw usage('audit prove needs --card SERIAL');
      const { json } = await api().request('GET', `/v1/audit/prove?card=${encodeURIComponent(options.card)}`);
      io.stdout(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
    case 'verify-proof': {
      if (!target || !options.key) throw usage('audit verify-proof FILE --key jwks.json');
      const proof = JSON.parse(readFileSync(target, 'utf8')) as CardProof;
      const checkpoint = await openWith(proof.checkpoint, readKeys(options.key));
      const problems: string[] = [];
      if (!checkpoint) problems.push('the checkpoint does not carry a signature by these keys');
      const last = readState(statePath);
      if (checkpoint && last && checkpoint.body.index < last.index)
        problems.push(
          `stale checkpoint: ${checkpoint.body.index} is older than ${last.index}, already verified`,
        );
      for (const { entry, index, proof: path } of proof.entries) {
        if (!checkpoint) break;
        const ok = verifyInclusion(
          entryLeaf(entry),
          index,
          checkpoint.body.size,
          path.map((h) => Buffer.from(h, 'hex')),
          hex(checkpoint.body.root),
        );
        if (!ok) problems.push(`entry ${entry.shard}/${entry.seq} is not in the log under this checkpoint`);
        if (entryCard(entry) !== proof.cardSerial)
          problems.push(`entry ${entry.shard}/${entry.seq} is not about card ${proof.cardSerial}`);
      }
      const summary = problems.length
        ? `proof REFUSED:\n${problems.join('\n')}`
        : `proof holds: ${proof.entries.length} entries of card ${proof.cardSerial} in checkpoint ${checkpoint?.body.index} (size ${checkpoint?.body.size})${proof.pending.length ? `; ${proof.pending.length} newer entries await the next checkpoint` : ''}`;
      print(summary, { ok: problems.length === 0, problems });
      return problems.length ? 1 : 0;
    }
    case 'checkpoint': {
      const { json } = await api().request('POST', '/v1/audit/checkpoint');
      const made = json as Verified;
      print(`checkpoint ${made.index}: ${made.size} entries, root ${made.root}`, made);
      return 0;
    }
    case 'repair': {
      if (!options.shard || !options.reason)
        throw usage('audit repair --shard N|LOG --reason TEXT [--from N] [--to N]');
      const body = {
        shard: options.shard === 'LOG' ? 'LOG' : Number(options.shard),
        reason: options.reason,
        ...(options.from ? { from: Number(options.from) } : {}),
        ...(options.to ? { to: Number(options.to) } : {}),
      };
      const { json } = await api().request('POST', '/v1/audit/repair', body);
      print(`repaired: ${JSON.stringify(json)}`, json);
      return 0;
    }
    default:
      throw usage(`unknown command audit ${action}`);
  }
}

function describe(p: VerifyReport['problems'][number]): string {
  return `audit log BROKEN at ${p.shard === 'LOG' ? 'checkpoint' : `${p.shard}`}/${p.seq}: ${p.reason}`;
}

const hex = (text: string) => Buffer.from(text, 'hex');

async function openWith(jws: string, keys: JWK[]): Promise<Checkpoint | undefined> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(jws).kid;
  } catch {
    return undefined;
  }
  const key = keys.find((k) => k.kid === kid);
  return key ? openCheckpoint(jws, key) : undefined;
}

function readKeys(path: string): JWK[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { keys?: JWK[] };
  if (!Array.isArray(parsed.keys))
    throw new CardfleetError('CLI_USAGE', `${path} is not a JWKS ({"keys": [...]})`);
  return parsed.keys;
}

function configDir(env: CliIo['env']): string | undefined {
  if (env.CARDFLEET_CONFIG_DIR) return env.CARDFLEET_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME ?? (env.HOME ? join(env.HOME, '.config') : undefined);
  return base ? join(base, 'cardfleet') : undefined;
}

function readState(path: string | undefined): Verified | undefined {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Verified;
  } catch {
    return undefined;
  }
}

function writeState(path: string | undefined, verified: Verified): void {
  if (!path) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(verified, null, 2)}\n`);
}

function usage(message: string): CardfleetError {
  return new CardfleetError('CLI_USAGE', message);
}
