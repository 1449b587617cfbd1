import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { exportJWK } from 'jose';
import type { PublicationDeps } from '../../cloud/src/publishing/job-publication';
import type { Publisher } from '../../cloud/src/publishing/publisher';
import { startDynalite } from './dynalite';
import { apiRequest, composeTestCloud, type TestCloudOptions } from './test-cloud';

/** The cloud API on a real port over dynalite, with a token for each role (rig tests). */
export async function startCloud(options: TestCloudOptions = {}) {
  const db = await startDynalite();
  const parts = await composeTestCloud(db.table, options);
  const server = serve({ fetch: parts.cloud.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    fetch(`${base}${path}`, apiRequest(method, options));
  return {
    ...parts,
    base,
    db,
    call,
    close: async () => {
      server.close();
      await db.close();
    },
  };
}

/** What publishJob needs, from a test cloud and a publisher. */
export function publicationDeps(
  cloud: Pick<TestCloud, 'cloud' | 'signer'>,
  publisher: Publisher,
): PublicationDeps {
  return {
    envelopes: cloud.cloud.envelopes,
    jobs: cloud.cloud.jobs,
    agents: cloud.cloud.agents,
    encodings: cloud.cloud.encodings,
    signer: cloud.signer,
    publisher,
    issuer: 'cardfleet-cloud',
    nowSeconds: () => Math.floor(Date.now() / 1000),
  };
}

/** A started or in-memory test cloud: what the helpers below use of it. */
type TestCloud = Pick<Awaited<ReturnType<typeof startCloud>>, 'cloud' | 'signer' | 'tokens' | 'call'>;

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
