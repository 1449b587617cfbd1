import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundleSha256,
  encryptSecrets,
  JOB_ENVELOPE_TYPE,
  type JobClaims,
  jsonBytes,
  localJwsSigner,
  signJobEnvelope,
} from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { admitEnvelope, type GateOptions } from './job-gate';
import { JobLedger } from './job-ledger';
import { agentKey, cloudKey, keys, NOW } from './test-envelopes';

async function envelope(
  overrides: {
    seq?: number;
    jobId?: string;
    aud?: string;
    exp?: number;
    kid?: string;
    secrets?: Record<string, string>;
    /** Wire version: 1 (before versioning), 2, 3 (current), or a newer one signed as such. */
    wire?: number;
  } = {},
) {
  const jobId = overrides.jobId ?? 'job-1';
  const claims: JobClaims = {
    iss: 'cardfleet-cloud',
    aud: overrides.aud ?? 'agent-1',
    iat: NOW,
    nbf: NOW - 5,
    exp: overrides.exp ?? NOW + 300,
    jti: `${jobId}:1`,
    seq: overrides.seq ?? 1,
    job: {
      id: jobId,
      attempt: 1,
      office: 'berlin',
      encoding: {
        id: 'e',
        version: 1,
        sha256: bundleSha256([{ name: 'encoding.ini', bytes: new Uint8Array() }]),
      },
      bundle: [{ name: 'encoding.ini', base64: '' }],
      fields: {},
      secretFields: ['PIN'],
      ...(overrides.secrets ? { secrets: await encryptSecrets(overrides.secrets, agentKey.publicKey) } : {}),
    },
  };
  const signer = localJwsSigner(overrides.kid ?? 'cloud-1', cloudKey.privateKey);
  if (overrides.wire === 1 || overrides.wire === 2 || overrides.wire === 3)
    return signJobEnvelope(claims, signer, overrides.wire);
  if (overrides.wire !== undefined)
    return signer.sign(jsonBytes({ v: overrides.wire, ...claims }), JOB_ENVELOPE_TYPE);
  return signJobEnvelope(claims, signer);
}

function gate(
  ledgerPath = join(mkdtempSync(join(tmpdir(), 'cardfleet-ledger-')), 'ledger.jsonl'),
): GateOptions {
  return {
    agentId: 'agent-1',
    keys,
    privateKey: agentKey.privateKey,
    ledger: new JobLedger(ledgerPath),
    now: () => NOW,
    isoNow: () => '2027-01-15T08:00:00.000Z',
  };
}

describe('the agent admits only verified, fresh, in-order envelopes', () => {
  it('admits a valid envelope and decrypts its secrets', async () => {
    const decision = await admitEnvelope(await envelope({ secrets: { PIN: '123456' } }), gate());
    expect(decision).toMatchObject({ kind: 'run', claims: { jti: 'job-1:1' }, secrets: { PIN: '123456' } });
  });

  it.each([
    ['a forged signature', async () => `${(await envelope()).slice(0, -4)}AAAA`, 'ENVELOPE_'],
    ['an unknown kid', () => envelope({ kid: 'cloud-9' }), 'ENVELOPE_UNKNOWN_KID'],
    ['the wrong audience', () => envelope({ aud: 'agent-2' }), 'ENVELOPE_WRONG_AUDIENCE'],
    ['an expired job', () => envelope({ exp: NOW - 120 }), 'ENVELOPE_EXPIRED'],
  ])('rejects %s, naming the envelope by its hash', async (_name, make, code) => {
    const raw = await make();
    const decision = await admitEnvelope(raw, gate());
    expect(decision.kind).toBe('rejected');
    if (decision.kind !== 'rejected') return;
    expect(decision.result.rejection?.reason).toMatch(new RegExp(`^${code}`));
    expect(decision.result.rejection?.envelopeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(decision.result.jobId.startsWith('envelope:')).toBe(true);
  });

  it('answers a replayed jti DUPLICATE with the stored result, across restarts', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cardfleet-ledger-')), 'ledger.jsonl');
    const raw = await envelope();
    const first = gate(path);
    expect((await admitEnvelope(raw, first)).kind).toBe('run');
    first.ledger.recordResult('job-1:1', {
      jobId: 'job-1',
      attempt: 1,
      agentId: 'agent-1',
      status: 'SUCCEEDED',
      finishedAt: '2027-01-15T08:00:01.000Z',
      applications: [],
    });
    const afterRestart = gate(path);
    expect(await admitEnvelope(raw, afterRestart)).toMatchObject({
      kind: 'duplicate',
      jti: 'job-1:1',
      result: { status: 'SUCCEEDED' },
    });
  });

  it('rejects a lower or equal seq', async () => {
    const options = gate();
    expect((await admitEnvelope(await envelope({ seq: 5, jobId: 'job-5' }), options)).kind).toBe('run');
    const older = await admitEnvelope(await envelope({ seq: 4, jobId: 'job-4' }), options);
    expect(older).toMatchObject({
      kind: 'rejected',
      result: { rejection: { reason: 'ENVELOPE_SEQ_NOT_GROWING' } },
    });
  });

  it('admits an envelope in the previous wire version', async () => {
    expect((await admitEnvelope(await envelope({ wire: 1 }), gate())).kind).toBe('run');
  });

  it('rejects an envelope in a newer wire version than it knows, naming it by its hash', async () => {
    const raw = await envelope({ wire: 4 });
    expect(await admitEnvelope(raw, gate())).toMatchObject({
      kind: 'rejected',
      result: {
        status: 'REJECTED',
        error: { code: 'ENVELOPE_UNSUPPORTED_VERSION' },
        rejection: {
          reason: 'ENVELOPE_UNSUPPORTED_VERSION',
          envelopeSha256: createHash('sha256').update(raw).digest('hex'),
        },
      },
    });
  });
});
