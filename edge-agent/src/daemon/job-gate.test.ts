import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
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
  sealLiterals,
  signJobEnvelope,
} from '@cardfleet/shared';
import { describe, expect, it } from 'vitest';
import { admitEnvelope, type GateOptions } from './job-gate';
import { JobLedger } from './job-ledger';
import { agentKey, cloudKey, keys, NOW } from './test-envelopes';

const sha256Of = (files: { name: string; base64: string }[]) =>
  bundleSha256(files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })));

async function envelope(
  overrides: {
    seq?: number;
    jobId?: string;
    aud?: string;
    exp?: number;
    kid?: string;
    secrets?: Record<string, string>;
    /** The bundle as pushed (its sha256 is the job's), and as the envelope carries it. */
    pushed?: { name: string; base64: string }[];
    sent?: { name: string; base64: string }[];
    /** Sealed literals, and the key they are sealed to (the agent's by default). */
    literals?: Record<string, string>;
    literalsTo?: KeyObject;
    /** Wire version: 1 (before versioning), 2, 3 (current), or a newer one signed as such. */
    wire?: number;
  } = {},
) {
  const jobId = overrides.jobId ?? 'job-1';
  const pushed = overrides.pushed ?? [{ name: 'encoding.ini', base64: '' }];
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
      encoding: { id: 'e', version: 1, sha256: sha256Of(pushed) },
      bundle: overrides.sent ?? pushed,
      fields: {},
      secretFields: ['PIN'],
      ...(overrides.secrets ? { secrets: await encryptSecrets(overrides.secrets, agentKey.publicKey) } : {}),
      ...(overrides.literals
        ? { literals: await encryptSecrets(overrides.literals, overrides.literalsTo ?? agentKey.publicKey) }
        : {}),
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

describe('the agent restores the literal secrets of a bundle before anything parses it', () => {
  const CMK = '5A17C3D2E1F00B1E55EDC0DE5A17C3D2E1F00B1E55EDC0DE';
  const ini = `ApplicationList=P\n[P]\nPKCS11Library=eTPKCS11.dll\nSetPin=true\nCardManagerKey=${CMK}\nNewPin=\${PIN}\n`;
  const pushed = [{ name: 'encoding.ini', base64: Buffer.from(ini).toString('base64') }];
  const sealed = sealLiterals(pushed, () => '0123456789abcdef');
  const bundleOf = (decision: Awaited<ReturnType<typeof admitEnvelope>>) =>
    decision.kind === 'run' ? decision.claims.job.bundle : undefined;

  it('admits an envelope with sealed literals and hands on the bundle as it was pushed', async () => {
    expect(Buffer.from(sealed.files[0]?.base64 ?? '', 'base64').toString()).not.toContain(CMK);
    const decision = await admitEnvelope(
      await envelope({ pushed, sent: sealed.files, literals: sealed.literals }),
      gate(),
    );
    expect(decision.kind).toBe('run');
    expect(bundleOf(decision)).toEqual(pushed);
  });

  it.each([
    ['a bundle whose placeholders came without their sealed literals', {}, 'ENVELOPE_BUNDLE_MISMATCH'],
    ['sealed literals that do not resolve every placeholder', { x: 'y' }, 'ENVELOPE_LITERAL_UNPLACED'],
  ])('rejects %s before journaling it', async (_name, literals, code) => {
    const options = gate();
    const raw = await envelope({
      pushed,
      sent: sealed.files,
      ...(Object.keys(literals).length > 0 ? { literals } : {}),
    });
    expect(await admitEnvelope(raw, options)).toMatchObject({
      kind: 'rejected',
      result: { rejection: { reason: code } },
    });
    expect(options.ledger.lookup('job-1:1')).toBeUndefined();
  });

  it('rejects literals sealed to another key, and a bundle that is not the one its encoding recorded', async () => {
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const foreign = await envelope({
      pushed,
      sent: sealed.files,
      literals: sealed.literals,
      literalsTo: stranger,
    });
    expect(await admitEnvelope(foreign, gate())).toMatchObject({
      result: { rejection: { reason: 'SECRETS_UNREADABLE' } },
    });
    const changed = [
      { name: 'encoding.ini', base64: Buffer.from(ini.replace('SetPin', 'InitToken')).toString('base64') },
    ];
    expect(await admitEnvelope(await envelope({ pushed, sent: changed }), gate())).toMatchObject({
      result: { rejection: { reason: 'ENVELOPE_BUNDLE_MISMATCH' } },
    });
  });
});
