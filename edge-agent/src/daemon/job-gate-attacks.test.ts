import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundleSha256,
  encryptSecrets,
  type JobClaims,
  localJwsSigner,
  signJobEnvelope,
} from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { admitEnvelope, type GateOptions } from './job-gate';
import { JobLedger } from './job-ledger';
import { agentKey, cloudKey, keys, NOW } from './test-envelopes';

/**
 * Attacks on the agent's gate and ledger (docs/security.md, invariants 1 and 2): each
 * fails when the check that stops it is removed (docs/mutation-testing.md).
 */
// The bundle the envelopes carry, and its sha256 as the job records it (the gate checks it).
const BUNDLE_SHA256 = bundleSha256([{ name: 'encoding.ini', bytes: new Uint8Array() }]);
const ledgerPath = () => join(mkdtempSync(join(tmpdir(), 'cardfleet-ledger-')), 'ledger.jsonl');

function gate(path = ledgerPath(), now = NOW): GateOptions {
  return {
    agentId: 'agent-1',
    keys,
    privateKey: agentKey.privateKey,
    ledger: new JobLedger(path),
    now: () => now,
    isoNow: () => '2027-01-15T08:00:00.000Z',
  };
}

async function envelope(seq: number, jobId = `job-${seq}`, secrets?: string): Promise<string> {
  const claims: JobClaims = {
    iss: 'cardfleet-cloud',
    aud: 'agent-1',
    iat: NOW,
    nbf: NOW - 5,
    exp: NOW + 300,
    jti: `${jobId}:1`,
    seq,
    job: {
      id: jobId,
      attempt: 1,
      office: 'berlin',
      encoding: { id: 'e', version: 1, sha256: BUNDLE_SHA256 },
      bundle: [{ name: 'encoding.ini', base64: '' }],
      fields: {},
      secretFields: ['PIN'],
      ...(secrets === undefined ? {} : { secrets }),
    },
  };
  return signJobEnvelope(claims, localJwsSigner('cloud-1', cloudKey.privateKey));
}

describe('job gate attacks', () => {
  it('refuses an envelope whose seq equals the last one accepted, and takes the next', async () => {
    const options = gate();
    expect((await admitEnvelope(await envelope(5), options)).kind).toBe('run');
    expect(await admitEnvelope(await envelope(5, 'job-other'), options)).toMatchObject({
      kind: 'rejected',
      result: {
        rejection: { reason: 'ENVELOPE_SEQ_NOT_GROWING' },
        error: { message: 'seq 5 is not above 5' },
      },
    });
    expect((await admitEnvelope(await envelope(6), options)).kind).toBe('run');
  });

  it('refuses secrets encrypted to another agent, and journals nothing for the refused job', async () => {
    const path = ledgerPath();
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const raw = await envelope(3, 'job-3', await encryptSecrets({ PIN: '123456' }, other.publicKey));
    const decision = await admitEnvelope(raw, gate(path));
    expect(decision).toMatchObject({
      kind: 'rejected',
      result: {
        status: 'REJECTED',
        agentId: 'agent-1',
        finishedAt: '2027-01-15T08:00:00.000Z',
        rejection: {
          reason: 'SECRETS_UNREADABLE',
          envelopeSha256: createHash('sha256').update(raw).digest('hex'),
        },
      },
    });
    expect(JSON.stringify(decision)).not.toContain('123456');
    const after = new JobLedger(path);
    expect(after.lookup('job-3:1')).toBeUndefined();
    expect(after.lastSeq()).toBe(0);
  });

  it('journals an admitted job before it runs, so a replay after a crash is a duplicate', async () => {
    const path = ledgerPath();
    const raw = await envelope(2, 'job-2', await encryptSecrets({ PIN: '654321' }, agentKey.publicKey));
    expect(await admitEnvelope(raw, gate(path))).toMatchObject({ kind: 'run', secrets: { PIN: '654321' } });
    const restarted = gate(path);
    expect(restarted.ledger.lookup('job-2:1')).toEqual({ seq: 2 });
    expect(restarted.ledger.unfinished()).toEqual(['job-2:1']);
    expect(await admitEnvelope(raw, restarted)).toEqual({
      kind: 'duplicate',
      jti: 'job-2:1',
      result: undefined,
    });
  });

  it('refuses an expired envelope by the injected clock, without journaling it', async () => {
    const path = ledgerPath();
    const raw = await envelope(4);
    const late = gate(path, NOW + 300 + 61);
    expect(await admitEnvelope(raw, late)).toMatchObject({
      kind: 'rejected',
      result: { rejection: { reason: 'ENVELOPE_EXPIRED' } },
    });
    expect(late.ledger.lastSeq()).toBe(0);
    expect((await admitEnvelope(raw, gate(path))).kind).toBe('run');
  });
});

describe('job ledger attacks', () => {
  it('keeps its journal readable by the agent user only', () => {
    const path = ledgerPath();
    new JobLedger(path).accept('job-1:1', 1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('keeps the highest seq even when a lower one is journaled later', () => {
    const path = ledgerPath();
    const ledger = new JobLedger(path);
    ledger.accept('job-9:1', 9);
    ledger.accept('job-3:1', 3);
    expect(ledger.lastSeq()).toBe(9);
    expect(new JobLedger(path).lastSeq()).toBe(9);
  });

  it('ignores blank lines and a result for a job it never accepted', () => {
    const path = ledgerPath();
    writeFileSync(
      path,
      [
        '{"jti":"job-1:1","seq":1}',
        '',
        '   ',
        '{"jti":"job-7:1","result":{"status":"SUCCEEDED"}}',
        '{"jti":"job-1:1","result":{"status":"FAILED"}}',
        '',
      ].join('\n'),
    );
    const ledger = new JobLedger(path);
    expect(ledger.lookup('job-7:1')).toBeUndefined();
    expect(ledger.lookup('job-1:1')?.result).toEqual({ status: 'FAILED' });
    expect(ledger.unfinished()).toEqual([]);
    expect(ledger.isCancelled('job-1:1')).toBe(false);
  });

  it('records a result in memory too, and a cancel on disk once', () => {
    const path = ledgerPath();
    const ledger = new JobLedger(path);
    ledger.accept('job-1:1', 1);
    const result = {
      jobId: 'job-1',
      attempt: 1,
      agentId: 'agent-1',
      status: 'SUCCEEDED' as const,
      finishedAt: '2027-01-15T08:00:01.000Z',
      applications: [],
    };
    ledger.recordResult('job-1:1', result);
    expect(ledger.lookup('job-1:1')).toEqual({ seq: 1, result });
    ledger.recordResult('job-5:1', result);
    expect(ledger.lookup('job-5:1')).toBeUndefined();
    ledger.cancel('job-2:1');
    ledger.cancel('job-2:1');
    expect(ledger.isCancelled('job-2:1')).toBe(true);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('creates the directory of a journal that does not exist yet', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cardfleet-ledger-')), 'state', 'deeper', 'ledger.jsonl');
    const ledger = new JobLedger(path);
    expect(ledger.lastSeq()).toBe(0);
    ledger.accept('job-1:1', 1);
    expect(new JobLedger(path).lookup('job-1:1')).toEqual({ seq: 1 });
  });
});
