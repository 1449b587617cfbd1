import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { exportJWK } from 'jose';
import { localIssuer } from '../../cloud/src/auth/identity';
import { type CloudParts, composeCloud } from '../../cloud/src/compose';
import { localKeyWrapper } from '../../cloud/src/crypto/envelope-encryption';
import { localSigner } from '../../cloud/src/crypto/signer';
import type { PublicationDeps } from '../../cloud/src/publishing/job-publication';
import type { Publisher } from '../../cloud/src/publishing/publisher';
import { startDynalite } from './dynalite';

/** The cloud API on a real port over dynalite, with a token for each role. */
export async function startCloud(
  options: Pick<CloudParts, 'nextKeys' | 'previousKeys' | 'publication'> & {
    signer?: CloudParts['signer'];
  } = {},
) {
  const db = await startDynalite();
  const issuer = await localIssuer();
  const signer = await localSigner('k1');
  const keyWrapper = localKeyWrapper(new Uint8Array(32).fill(7));
  const cloud = composeCloud({
    table: db.table,
    tokens: issuer,
    keyWrapper,
    signer: options.signer ?? signer,
    ...(options.nextKeys ? { nextKeys: options.nextKeys } : {}),
    ...(options.previousKeys ? { previousKeys: options.previousKeys } : {}),
    ...(options.publication ? { publication: options.publication } : {}),
  });
  const server = serve({ fetch: cloud.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens = {
    admin: await issuer.issue({ sub: 'alice', role: 'admin' }),
    operatorBerlin: await issuer.issue({ sub: 'otto', role: 'operator', office: 'berlin' }),
    operatorParis: await issuer.issue({ sub: 'pia', role: 'operator', office: 'paris' }),
    auditor: await issuer.issue({ sub: 'aude', role: 'auditor' }),
    agent: await issuer.issue({ sub: 'agent-berlin-1', role: 'agent', office: 'berlin' }),
  };
  const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        'content-type': 'application/json',
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  return {
    base,
    db,
    signer,
    keyWrapper,
    cloud,
    tokens,
    call,
    close: async () => {
      server.close();
      await db.close();
    },
  };
}

/** What publishJob needs, from a started test cloud and a publisher. */
export function publicationDeps(
  cloud: Awaited<ReturnType<typeof startCloud>>,
  publisher: Publisher,
): PublicationDeps {
  return {
    table: cloud.db.table,
    jobs: cloud.cloud.jobs,
    agents: cloud.cloud.agents,
    encodings: cloud.cloud.encodings,
    keyWrapper: cloud.keyWrapper,
    signer: cloud.signer,
    publisher,
    issuer: 'cardfleet-cloud',
    nowSeconds: () => Math.floor(Date.now() / 1000),
  };
}

type TestCloud = Awaited<ReturnType<typeof startCloud>>;

/** The files of `examples/<dir>/` as the encodings API takes them. */
export function exampleFiles(dir: string): { name: string; base64: string }[] {
  const path = join(import.meta.dirname, '../../examples', dir);
  return readdirSync(path).map((name) => ({
    name,
    base64: readFileSync(join(path, name)).toString('base64'),
  }));
}

/** Pushes the example encoding `examples/<id>/` as the admin. */
export async function pushExample(cloud: TestCloud, id: string): Promise<void> {
  const files = exampleFiles(id);
  const response = await cloud.call('POST', '/v1/encodings', {
    token: cloud.tokens.admin,
    body: { id, files },
  });
  if (response.status !== 201) throw new Error(`push ${id}: ${response.status} ${await response.text()}`);
}

/** Adds an agent as the admin and enrols its P-256 public key with the one-time code. */
export async function addEnrolledAgent(
  cloud: TestCloud,
  id: string,
  office: string,
  publicKey: Parameters<typeof exportJWK>[0],
): Promise<void> {
  const added = (await (
    await cloud.call('POST', '/v1/agents', { token: cloud.tokens.admin, body: { id, office } })
  ).json()) as { enrolmentCode: string };
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const enrolled = await cloud.call('POST', `/v1/agents/${id}/enrol`, {
    body: { code: added.enrolmentCode, publicJwk: { kty, crv, x, y } },
  });
  if (enrolled.status !== 200) throw new Error(`enrol ${id}: ${enrolled.status} ${await enrolled.text()}`);
}
