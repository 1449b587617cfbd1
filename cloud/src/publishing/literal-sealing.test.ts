import { generateKeyPairSync } from 'node:crypto';
import {
  bundleSha256,
  decryptSecrets,
  type JobClaims,
  openSealedBundle,
  SEALED_LITERALS_WIRE_VERSION,
  verifyJobEnvelope,
} from '@cardfleet/shared';
import { exportJWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { composeCloud } from '../compose';
import { localKeyWrapper } from '../crypto/envelope-encryption';
import { localSigner } from '../crypto/signer';
import { MemoryTable } from '../storage/memory-table';
import { receiveAgentMessage } from './agent-messages';
import { publishJob } from './job-publication';

// Literal secrets of a bundle cross the broker only sealed to the agent's key
// (docs/messaging.md, "Sealed literals"): what the cloud publishes holds no spelling of
// them, and an agent too old to restore them is sent nothing.
const AGENT = 'agent-berlin-1';
const CMK = 'C0DE5EA1ED0F0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B';
const CR_KEY = '404142434445464748494a4b4c4d4e4f';
const files = {
  'encoding.ini': [
    'ApplicationList=Auth,Personalise',
    '[Auth]',
    'ApduFile=auth.apdu',
    '[Personalise]',
    'PKCS11LibraryWindows64=C:/Program Files/Gemalto/IDPrimePKCS1164.dll',
    'SetPin=true',
    `CardManagerKey=${CMK}`,
    'NewPin=${NEW_PIN}',
    '',
  ].join('\n'),
  'auth.apdu': `DYN[CHALLENGE]:00840000;;16\nCR[RESPONSE]:RETAIL_MAC;0x ${CR_KEY.match(/../g)?.join(' ')};CHALLENGE\nDYN:00820008;RESPONSE;\n`,
};
const spellings = (hex: string) => {
  const bytes = Buffer.from(hex, 'hex');
  return [hex.toUpperCase(), hex.toLowerCase(), bytes.toString('base64'), bytes.toString('base64url')];
};
const agentKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('publishing a bundle with literal secrets', () => {
  let cloud: ReturnType<typeof composeCloud>;
  let signer: Awaited<ReturnType<typeof localSigner>>;
  let sent: string[];
  let pushed: { version: number; sha256: string };

  beforeEach(async () => {
    sent = [];
    signer = await localSigner('k1');
    cloud = composeCloud({
      releaseGate: 'open', // jobs on pushed drafts, as before releases (docs/releases.md)
      table: new MemoryTable(),
      tokens: { verify: () => Promise.reject(new Error('this test makes no API calls')) },
      keyWrapper: localKeyWrapper(new Uint8Array(32).fill(7)),
      signer,
      publication: {
        publisher: {
          publish: async (_topic, payload) => void sent.push(new TextDecoder().decode(payload)),
          close: async () => undefined,
        },
        issuer: 'cardfleet-cloud',
      },
    });
    const bundle = Object.entries(files).map(([name, text]) => ({ name, bytes: Buffer.from(text) }));
    pushed = await cloud.encodings.push('auth-and-cmk', { files: bundle }, { sub: 'alice' });
    const { enrolmentCode } = await cloud.agents.add(AGENT, 'berlin', 'alice');
    await cloud.agents.enrol(AGENT, enrolmentCode, await exportJWK(agentKey.publicKey));
  });

  const announce = (v: number | undefined) =>
    receiveAgentMessage(
      cloud,
      AGENT,
      'presence',
      JSON.stringify({
        ...(v === undefined ? {} : { v }),
        status: 'online',
        at: new Date().toISOString(),
        readers: [],
      }),
    );
  const queue = async (encodingId = 'auth-and-cmk', version = pushed.version, sha256 = pushed.sha256) => {
    const job = await cloud.jobs.create(
      {
        agentId: AGENT,
        office: 'berlin',
        encoding: { id: encodingId, version, sha256 },
        secretFieldNames: ['NEW_PIN'],
        fields: {},
      },
      'otto',
    );
    return job.jobId;
  };
  const publication = () => {
    if (!cloud.publication) throw new Error('the cloud was composed without publication');
    return cloud.publication;
  };

  it('publishes no spelling of the Card Manager Key or the CR key; the agent restores the bundle the encoding recorded', async () => {
    await announce(SEALED_LITERALS_WIRE_VERSION);
    await publishJob(publication(), await queue());
    const envelope = sent[0] ?? '';
    const claims: JobClaims = await verifyJobEnvelope(envelope, {
      keys: new Map([[signer.kid, signer.publicKey]]),
      audience: AGENT,
      now: Math.floor(Date.now() / 1000),
    });
    const payload = Buffer.from(envelope.split('.')[1] ?? '', 'base64url').toString();
    const bundleText = claims.job.bundle.map((f) => Buffer.from(f.base64, 'base64').toString()).join('\n');
    const onWire = [envelope, payload, bundleText].join('\n');
    for (const form of [...spellings(CMK), ...spellings(CR_KEY)]) expect(onWire).not.toContain(form);
    expect(bundleText).not.toMatch(/(?:[0-9a-f]{2}\s?){16}/i);

    const literals = await decryptSecrets(claims.job.literals ?? '', agentKey.privateKey);
    const restored = openSealedBundle(claims.job.bundle, literals, claims.job.encoding.sha256);
    const bytes = restored.map((f) => ({
      name: f.name,
      bytes: new Uint8Array(Buffer.from(f.base64, 'base64')),
    }));
    expect(bundleSha256(bytes)).toBe(pushed.sha256);
    expect(Object.fromEntries(bytes.map((f) => [f.name, Buffer.from(f.bytes).toString()]))).toEqual(files);
  });

  it.each([
    ['an agent that never announced a version', undefined],
    ['an agent that announced wire v2', 2],
  ])('sends %s nothing, and leaves the job QUEUED until it is upgraded', async (_name, v) => {
    await announce(v);
    const jobId = await queue();
    await expect(publishJob(publication(), jobId)).rejects.toMatchObject({ code: 'AGENT_UPGRADE_REQUIRED' });
    expect(sent).toEqual([]);
    expect((await cloud.jobs.get(jobId))?.state).toBe('QUEUED');
  });

  it('still serves an older agent the bundles that hold no literal secret', async () => {
    await announce(2);
    const plain = { 'e.ini': 'ApplicationList=A\n[A]\nApduFile=s.apdu\n', 's.apdu': 'RAW:00CA010100\n' };
    const bundle = Object.entries(plain).map(([name, text]) => ({ name, bytes: Buffer.from(text) }));
    const read = await cloud.encodings.push('plain', { files: bundle }, { sub: 'alice' });
    await publishJob(publication(), await queue('plain', read.version, read.sha256));
    const claims = JSON.parse(Buffer.from(sent[0]?.split('.')[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ v: 2, job: { bundle: bundle.map((f) => ({ name: f.name })) } });
    expect(claims.job).not.toHaveProperty('literals');
  });
});
