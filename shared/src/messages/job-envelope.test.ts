import fc from 'fast-check';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { CancelClaimsSchema, signCancelMessage } from './job-cancel';
import { JOB_ENVELOPE_TYPE, type JobClaims } from './job-claims';
import { signJobEnvelope, verifyJobEnvelope } from './job-envelope';
import { type JwsSigner, jsonBytes, localJwsSigner, type VerificationKey } from './jws-signer';
import { decryptSecrets, encryptSecrets } from './secret-box';

const NOW = 1_800_000_000;
const claims: JobClaims = {
  iss: 'cardfleet-cloud',
  aud: 'agent-berlin-1',
  iat: NOW,
  nbf: NOW - 5,
  exp: NOW + 300,
  jti: 'job-1:1',
  seq: 7,
  job: {
    id: 'job-1',
    attempt: 1,
    office: 'berlin',
    encoding: { id: 'read-version', version: 1, sha256: 'a'.repeat(64) },
    bundle: [{ name: 'encoding.ini', base64: Buffer.from('ApplicationList=A\n').toString('base64') }],
    fields: { NAME: 'Erika' },
    secretFields: ['NEW_PIN'],
  },
};

let signer: JwsSigner;
let keys: Map<string, VerificationKey>;
let envelope: string;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signer = localJwsSigner('k1', pair.privateKey);
  keys = new Map([['k1', pair.publicKey]]);
  envelope = await signJobEnvelope(claims, signer);
});

const verify = (raw: string, overrides: Partial<Parameters<typeof verifyJobEnvelope>[1]> = {}) =>
  verifyJobEnvelope(raw, { keys, audience: 'agent-berlin-1', now: NOW, ...overrides });

describe('job envelopes', () => {
  it('verifies a signed envelope and returns its claims', async () => {
    expect(await verify(envelope)).toEqual(claims);
  });

  it('fails when any byte of the envelope changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: envelope.length - 1 }),
        fc.integer({ min: 1, max: 127 }),
        async (index, delta) => {
          const changed =
            envelope.slice(0, index) +
            String.fromCharCode((envelope.charCodeAt(index) + delta) % 128) +
            envelope.slice(index + 1);
          if (changed === envelope) return;
          await expect(verify(changed)).rejects.toBeInstanceOf(CardfleetError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a job signed with an unknown key', async () => {
    const other = await generateKeyPair('ES256');
    const forged = await signJobEnvelope(claims, localJwsSigner('k9', other.privateKey));
    await expect(verify(forged)).rejects.toMatchObject({ code: 'ENVELOPE_UNKNOWN_KID' });
    const sameKid = await signJobEnvelope(claims, localJwsSigner('k1', other.privateKey));
    await expect(verify(sameKid)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_SIGNATURE' });
  });

  it('rejects a job for another agent', async () => {
    await expect(verify(envelope, { audience: 'agent-paris-1' })).rejects.toMatchObject({
      code: 'ENVELOPE_WRONG_AUDIENCE',
    });
  });

  it('honours nbf and exp with a small skew', async () => {
    await expect(verify(envelope, { now: NOW + 300 + 61 })).rejects.toMatchObject({
      code: 'ENVELOPE_EXPIRED',
    });
    expect(await verify(envelope, { now: NOW + 300 + 30 })).toEqual(claims);
    await expect(verify(envelope, { now: NOW - 5 - 61 })).rejects.toMatchObject({
      code: 'ENVELOPE_NOT_YET_VALID',
    });
  });

  it('rejects an algorithm outside the allow-list', async () => {
    const pair = await generateKeyPair('ES384');
    const { CompactSign } = await import('jose');
    const es384 = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES384', kid: 'k3', typ: 'cardfleet-job+jws' })
      .sign(pair.privateKey);
    await expect(verify(es384, { keys: new Map([['k3', pair.publicKey]]) })).rejects.toMatchObject({
      code: 'ENVELOPE_ALG_NOT_ALLOWED',
    });
  });

  it('rejects oversized envelopes before looking at them', async () => {
    await expect(verify('x'.repeat(200 * 1024))).rejects.toMatchObject({ code: 'ENVELOPE_TOO_LARGE' });
  });
});

const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString());

describe('job envelope versions and types', () => {
  it('carries the current wire version in its claims, and takes the previous one (no v)', async () => {
    expect(payloadOf(envelope)).toMatchObject({ v: 3, jti: 'job-1:1' });
    const v1 = await signJobEnvelope(claims, signer, 1);
    expect(payloadOf(v1)).not.toHaveProperty('v');
    expect(await verify(v1)).toEqual(claims);
  });

  it('refuses a newer wire version than it knows', async () => {
    const v4 = await signer.sign(jsonBytes({ v: 4, ...claims }), JOB_ENVELOPE_TYPE);
    await expect(verify(v4)).rejects.toMatchObject({ code: 'ENVELOPE_UNSUPPORTED_VERSION' });
  });

  it('refuses a cancel presented as a job', async () => {
    const cancel = await signCancelMessage(
      CancelClaimsSchema.parse({ ...claims, cancel: { jobId: 'job-1', attempt: 1 }, by: 'otto' }),
      signer,
    );
    await expect(verify(cancel)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_TYPE' });
  });
});

describe('job secrets', () => {
  it('round-trips through a JWE only the agent can open', async () => {
    const agent = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    const jwe = await encryptSecrets({ NEW_PIN: '123456' }, await exportJWK(agent.publicKey));
    expect(jwe).not.toContain('123456');
    expect(await decryptSecrets(jwe, agent.privateKey)).toEqual({ NEW_PIN: '123456' });
    const stranger = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
    await expect(decryptSecrets(jwe, stranger.privateKey)).rejects.toMatchObject({
      code: 'SECRETS_UNREADABLE',
    });
  });
});
