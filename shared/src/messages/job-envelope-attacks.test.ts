import { CompactSign, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXECUTION_ID_PATTERN, parseExecutionId } from './execution-id';
import { buildCancelClaims, verifyCancelMessage } from './job-cancel';
import {
  BundleFileSchema,
  buildJobClaims,
  JOB_ENVELOPE_TYPE,
  type JobClaims,
  JobClaimsSchema,
} from './job-claims';
import { signJobEnvelope, verifyJobEnvelope } from './job-envelope';
import { type JwsSigner, jsonBytes, localJwsSigner, type VerificationKey } from './jws-signer';
import { KEY_SET_TYPE } from './key-set';
import { MAX_ENVELOPE_BYTES, signedMessageType } from './signed-claims';

/**
 * Each test here is an attack on, or a bad input to, the agent's envelope verifier
 * (shared/src/messages/signed-claims.ts, docs/messaging.md "Job envelope"), and fails
 * when the check that stops it is removed (docs/mutation-testing.md).
 */
const NOW = 1_800_000_000;
const job: JobClaims['job'] = {
  id: 'job-1',
  attempt: 1,
  office: 'berlin',
  encoding: { id: 'read-version', version: 1, sha256: 'a'.repeat(64) },
  bundle: [{ name: 'encoding.ini', base64: Buffer.from('ApplicationList=A\n').toString('base64') }],
  fields: { NAME: 'Erika' },
  secretFields: [],
};
// A literal, not buildJobClaims: a fixture built while the file loads would, under a
// broken schema, fail the file's import, which the mutation runner does not count as a
// failing test (docs/mutation-testing.md). buildJobClaims is tested below.
const claims: JobClaims = {
  iss: 'cardfleet-cloud',
  aud: 'agent-berlin-1',
  iat: NOW,
  nbf: NOW - 5,
  exp: NOW + 300,
  jti: 'job-1:1',
  seq: 7,
  job,
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

const verify = (raw: string | Uint8Array, overrides: Partial<Parameters<typeof verifyJobEnvelope>[1]> = {}) =>
  verifyJobEnvelope(raw, { keys, audience: 'agent-berlin-1', now: NOW, ...overrides });
/** Job claims signed as they are, past the signer's schema check (what a forger could send). */
const signRaw = (payload: unknown, typ = JOB_ENVELOPE_TYPE) => signer.sign(jsonBytes(payload), typ);
const withTimes = (nbf: number, exp: number) => signRaw({ v: 2, ...claims, nbf, exp });

describe('job envelope attacks: type confusion', () => {
  it('refuses a JWS of another typ signed by the same pinned key (a key set as a job)', async () => {
    await expect(verify(await signRaw({ v: 2, ...claims }, KEY_SET_TYPE))).rejects.toMatchObject({
      code: 'ENVELOPE_BAD_TYPE',
    });
  });

  it('refuses a job presented as a cancel', async () => {
    await expect(
      verifyCancelMessage(envelope, { keys, audience: 'agent-berlin-1', now: NOW }),
    ).rejects.toMatchObject({ code: 'ENVELOPE_BAD_TYPE' });
  });

  it('refuses a JWS with no typ at all', async () => {
    const untyped = await new CompactSign(jsonBytes({ v: 2, ...claims }))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign((await generateKeyPair('ES256')).privateKey);
    await expect(verify(untyped)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_TYPE' });
  });

  it('refuses a JWS with no kid, even when a key is pinned', async () => {
    const pair = await generateKeyPair('ES256');
    const noKid = await new CompactSign(jsonBytes({ v: 2, ...claims }))
      .setProtectedHeader({ alg: 'ES256', typ: JOB_ENVELOPE_TYPE })
      .sign(pair.privateKey);
    await expect(verify(noKid, { keys: new Map([['k1', pair.publicKey]]) })).rejects.toMatchObject({
      code: 'ENVELOPE_UNKNOWN_KID',
    });
  });

  it('reads the typ of a message without trusting it, and nothing from garbage', async () => {
    expect(signedMessageType(envelope)).toBe(JOB_ENVELOPE_TYPE);
    expect(signedMessageType(new TextEncoder().encode(envelope))).toBe(JOB_ENVELOPE_TYPE);
    expect(signedMessageType('not a jws')).toBeUndefined();
    const numericTyp = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 7 })).toString('base64url');
    expect(signedMessageType(`${numericTyp}.e30.c2ln`)).toBeUndefined();
  });
});

describe('job envelope attacks: claims', () => {
  it('refuses a job from an unexpected issuer, and takes the expected one', async () => {
    await expect(verify(envelope, { issuer: 'someone-else' })).rejects.toMatchObject({
      code: 'ENVELOPE_WRONG_ISSUER',
    });
    expect(await verify(envelope, { issuer: 'cardfleet-cloud' })).toEqual(claims);
  });

  it('refuses a jti that does not name the job and attempt it carries (a replay under a new jti)', async () => {
    const mismatched = await signJobEnvelope({ ...claims, jti: 'job-1:2' }, signer);
    await expect(verify(mismatched)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_CLAIMS' });
    const otherJob = await signJobEnvelope({ ...claims, jti: 'job-2:1' }, signer);
    await expect(verify(otherJob)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_CLAIMS' });
  });

  it('refuses a payload that does not fit the job schema', async () => {
    const { job: _job, ...noJob } = claims;
    await expect(verify(await signRaw({ v: 2, ...noJob }))).rejects.toMatchObject({
      code: 'ENVELOPE_BAD_CLAIMS',
    });
    await expect(verify(await signRaw({ v: 2, ...claims, seq: 0 }))).rejects.toMatchObject({
      code: 'ENVELOPE_BAD_CLAIMS',
    });
  });

  it('refuses a payload that is not JSON, or not UTF-8', async () => {
    await expect(
      verify(await signer.sign(new TextEncoder().encode('{"v":2,'), JOB_ENVELOPE_TYPE)),
    ).rejects.toMatchObject({ code: 'ENVELOPE_MALFORMED' });
    const latin1 = Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]);
    await expect(verify(await signer.sign(latin1, JOB_ENVELOPE_TYPE))).rejects.toMatchObject({
      code: 'ENVELOPE_MALFORMED',
    });
  });

  it('refuses a job whose nbf lies beyond the skew in the future, and takes one at the edge', async () => {
    await expect(verify(await withTimes(NOW + 61, NOW + 300))).rejects.toMatchObject({
      code: 'ENVELOPE_NOT_YET_VALID',
    });
    expect(await verify(await withTimes(NOW + 60, NOW + 300))).toMatchObject({ nbf: NOW + 60 });
    await expect(verify(await withTimes(NOW + 11, NOW + 300), { skewSeconds: 10 })).rejects.toMatchObject({
      code: 'ENVELOPE_NOT_YET_VALID',
    });
    expect(await verify(await withTimes(NOW + 10, NOW + 300), { skewSeconds: 10 })).toMatchObject({
      nbf: NOW + 10,
    });
  });

  it('refuses a job expired beyond the skew, and takes one a second inside it', async () => {
    await expect(verify(await withTimes(NOW - 300, NOW - 60))).rejects.toMatchObject({
      code: 'ENVELOPE_EXPIRED',
    });
    expect(await verify(await withTimes(NOW - 300, NOW - 59))).toMatchObject({ exp: NOW - 59 });
    await expect(verify(await withTimes(NOW - 300, NOW - 10), { skewSeconds: 10 })).rejects.toMatchObject({
      code: 'ENVELOPE_EXPIRED',
    });
  });

  it('refuses a job whose exp is not after its nbf (an empty or inverted window)', async () => {
    await expect(verify(await withTimes(NOW + 10, NOW + 10))).rejects.toMatchObject({
      code: 'ENVELOPE_BAD_CLAIMS',
    });
    await expect(verify(await withTimes(NOW + 20, NOW + 10))).rejects.toMatchObject({
      code: 'ENVELOPE_BAD_CLAIMS',
    });
    expect(await verify(await withTimes(NOW + 10, NOW + 11))).toMatchObject({ exp: NOW + 11 });
  });
});

describe('job envelope attacks: encoding', () => {
  it('refuses a signature segment re-encoded with other padding bits (same bytes, other text)', async () => {
    const [header, payload, signature = ''] = envelope.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 64 signature bytes take 86 characters: the last one carries 4 bits and 2 padding bits.
    const last = alphabet.indexOf(signature.at(-1) ?? 'A');
    const twin = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    await expect(verify(`${header}.${payload}.${twin}`)).rejects.toMatchObject({
      code: 'ENVELOPE_MALFORMED',
    });
  });

  it('refuses padded, non-base64url or missing segments', async () => {
    const [header, payload, signature] = envelope.split('.');
    for (const raw of [
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}+.${signature}`,
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.${signature}`,
      `${header}..${signature}`,
    ])
      await expect(verify(raw)).rejects.toMatchObject({ code: 'ENVELOPE_MALFORMED' });
  });

  it('takes an envelope as bytes as well as text', async () => {
    expect(await verify(new TextEncoder().encode(envelope))).toEqual(claims);
  });

  it('refuses an envelope one byte over the limit before parsing it, text or bytes', async () => {
    const over = 'A'.repeat(MAX_ENVELOPE_BYTES + 1);
    await expect(verify(over)).rejects.toMatchObject({ code: 'ENVELOPE_TOO_LARGE' });
    await expect(verify(new TextEncoder().encode(over))).rejects.toMatchObject({
      code: 'ENVELOPE_TOO_LARGE',
    });
    // Multi-byte characters count as bytes, not as characters.
    const wide = 'é'.repeat(MAX_ENVELOPE_BYTES / 2 + 1);
    await expect(verify(wide)).rejects.toMatchObject({ code: 'ENVELOPE_TOO_LARGE' });
    await expect(verify('A'.repeat(MAX_ENVELOPE_BYTES))).rejects.toMatchObject({
      code: 'ENVELOPE_MALFORMED',
    });
  });
});

describe('job claims schema: what a forged or broken envelope may not carry', () => {
  const fileName = (name: string) => BundleFileSchema.safeParse({ name, base64: '' }).success;

  it('refuses a bundle file name with / or \\ at any position (path traversal)', () => {
    expect(fileName('encoding.ini')).toBe(true);
    for (const name of ['/etc', 'a/b', 'x/', '\\x', 'a\\b', 'x\\', '../x', '..\\x'])
      expect(fileName(name), name).toBe(false);
  });

  it('refuses an empty bundle file name and one over 128 characters', () => {
    expect(fileName('')).toBe(false);
    expect(fileName('a'.repeat(128))).toBe(true);
    expect(fileName('a'.repeat(129))).toBe(false);
  });

  const parses = (change: (c: JobClaims) => unknown) =>
    JobClaimsSchema.safeParse(change(structuredClone(claims))).success;

  it('refuses a job with an empty bundle', () => {
    expect(parses((c) => ({ ...c, job: { ...c.job, bundle: [] } }))).toBe(false);
  });

  it('refuses a jti that is not <jobId>:<attempt> from start to end', () => {
    expect(parses((c) => c)).toBe(true);
    for (const jti of ['x job-1:1', 'job-1:1 x', 'job-1:0', 'job-1', ':1', 'job/1:1'])
      expect(
        parses((c) => ({ ...c, jti })),
        jti,
      ).toBe(false);
  });

  it('refuses an encoding digest that is not exactly 64 lower-case hex digits', () => {
    for (const sha256 of [`${'a'.repeat(64)}x`, `x${'a'.repeat(64)}`, 'a'.repeat(63), 'A'.repeat(64)])
      expect(
        parses((c) => ({ ...c, job: { ...c.job, encoding: { ...c.job.encoding, sha256 } } })),
        sha256,
      ).toBe(false);
  });

  it('refuses identifiers with separators, a leading symbol or over 128 characters', () => {
    for (const aud of ['agent/berlin', '-agent', '.agent', `a${'b'.repeat(128)}`, 'agent berlin', 'agent#'])
      expect(
        parses((c) => ({ ...c, aud })),
        aud,
      ).toBe(false);
    expect(parses((c) => ({ ...c, aud: `a${'b'.repeat(127)}` }))).toBe(true);
    for (const office of ['../berlin', ' berlin', 'berlin\n'])
      expect(
        parses((c) => ({ ...c, job: { ...c.job, office } })),
        office,
      ).toBe(false);
  });

  it('refuses an empty issuer, a non-positive attempt or version', () => {
    expect(parses((c) => ({ ...c, iss: '' }))).toBe(false);
    expect(parses((c) => ({ ...c, job: { ...c.job, attempt: 0 } }))).toBe(false);
    expect(parses((c) => ({ ...c, job: { ...c.job, encoding: { ...c.job.encoding, version: 0 } } }))).toBe(
      false,
    );
  });

  it('builds job claims for one agent, named by their execution, valid from 5 s ago', () => {
    expect(
      buildJobClaims('agent-berlin-1', {
        issuer: 'cardfleet-cloud',
        now: NOW,
        lifetimeSeconds: 300,
        seq: 7,
        job,
      }),
    ).toEqual(claims);
    expect(() =>
      buildJobClaims('agent-berlin-1', {
        issuer: 'cardfleet-cloud',
        now: NOW,
        lifetimeSeconds: 300,
        seq: 7,
        job: { ...job, bundle: [] },
      }),
    ).toThrow();
  });

  it('builds cancel claims that name one execution and refuses an empty canceller id', () => {
    const cancel = buildCancelClaims('agent-berlin-1', {
      issuer: 'cardfleet-cloud',
      now: NOW,
      lifetimeSeconds: 60,
      cancel: { jobId: 'job-1', attempt: 2 },
      by: 'otto',
    });
    expect(cancel).toEqual({
      iss: 'cardfleet-cloud',
      aud: 'agent-berlin-1',
      iat: NOW,
      nbf: NOW - 5,
      exp: NOW + 60,
      cancel: { jobId: 'job-1', attempt: 2 },
      by: 'otto',
    });
    expect(() =>
      buildCancelClaims('', {
        issuer: 'c',
        now: NOW,
        lifetimeSeconds: 60,
        cancel: { jobId: 'j', attempt: 1 },
        by: '',
      }),
    ).toThrow();
  });
});

describe('wire names and execution ids', () => {
  it('gives each signed kind its own typ on the wire (docs/messaging.md)', () => {
    expect(JOB_ENVELOPE_TYPE).toBe('cardfleet-job+jws');
    expect(KEY_SET_TYPE).toBe('cardfleet-keyset+jws');
  });

  it('takes multi-digit attempts and refuses an attempt with trailing or non-digit characters', () => {
    expect(parseExecutionId('job-1:10')).toEqual({ jobId: 'job-1', attempt: 10 });
    expect(EXECUTION_ID_PATTERN.test('job-1:10')).toBe(true);
    for (const id of ['job-1:1x', 'job-1:10a', 'job-1:x', 'job-1:0', ':1', 'job-1'])
      expect(() => parseExecutionId(id), id).toThrow(
        expect.objectContaining({ code: 'EXECUTION_ID_MALFORMED' }),
      );
  });
});

describe('job envelope attacks: the dry-run flag is signed', () => {
  /** The envelope with its payload's claims changed and the signature kept (what a broker could forward). */
  const tampered = (
    raw: string,
    change: (c: Record<string, unknown> & { job: Record<string, unknown> }) => void,
  ) => {
    const [header, payload, signature] = raw.split('.');
    const json = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    change(json);
    return `${header}.${Buffer.from(JSON.stringify(json)).toString('base64url')}.${signature}`;
  };

  it('refuses a dry run whose flag was removed after signing (a dry run turned into a card job)', async () => {
    const dry = await signJobEnvelope({ ...claims, job: { ...job, dryRun: true } }, signer);
    expect((await verify(dry)).job.dryRun).toBe(true);
    const stripped = tampered(dry, (c) => {
      delete c.job.dryRun;
    });
    await expect(verify(stripped)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_SIGNATURE' });
  });

  it('refuses a card job whose flag was added after signing (a card job diverted to the dry-run card)', async () => {
    const added = tampered(envelope, (c) => {
      c.job.dryRun = true;
    });
    await expect(verify(added)).rejects.toMatchObject({ code: 'ENVELOPE_BAD_SIGNATURE' });
    expect((await verify(envelope)).job.dryRun).toBeUndefined();
  });
});
