import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import { localIssuer } from '../../cloud/src/auth/identity';
import { type CloudParts, composeCloud } from '../../cloud/src/compose';
import { localKeyWrapper } from '../../cloud/src/crypto/envelope-encryption';
import { localSigner } from '../../cloud/src/crypto/signer';
import type { PublicationDeps } from '../../cloud/src/publishing/job-publication';
import type { Publisher } from '../../cloud/src/publishing/publisher';
import { MemoryTable } from '../../cloud/src/storage/memory-table';
import type { Table } from '../../cloud/src/storage/table-port';

export type TestCloudOptions = Pick<
  CloudParts,
  | 'nextKeys'
  | 'previousKeys'
  | 'publication'
  | 'audit'
  | 'onAgentRevoked'
  | 'logger'
  | 'serveMetrics'
  | 'brokerConnected'
  | 'releaseGate'
  | 'live'
> & {
  signer?: CloudParts['signer'];
};

/** The cloud composed over a table with local keys, and a token for each role. */
export async function composeTestCloud(table: Table, options: TestCloudOptions = {}) {
  const issuer = await localIssuer();
  const signer = await localSigner('k1');
  const keyWrapper = localKeyWrapper(new Uint8Array(32).fill(7));
  const cloud = composeCloud({
    table,
    tokens: issuer,
    keyWrapper,
    signer: options.signer ?? signer,
    ...(options.nextKeys ? { nextKeys: options.nextKeys } : {}),
    ...(options.previousKeys ? { previousKeys: options.previousKeys } : {}),
    ...(options.publication ? { publication: options.publication } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.onAgentRevoked ? { onAgentRevoked: options.onAgentRevoked } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.serveMetrics ? { serveMetrics: options.serveMetrics } : {}),
    ...(options.brokerConnected ? { brokerConnected: options.brokerConnected } : {}),
    ...(options.live ? { live: options.live } : {}),
    // Tests that are not about releases run drafts as before; release tests ask for 'enforced'.
    releaseGate: options.releaseGate ?? 'open',
    // The console's routes are part of the API description (openapi.test.ts).
    console: { config: { localLinks: true } },
  });
  const tokens = {
    admin: await issuer.issue({ sub: 'alice', role: 'admin' }),
    operatorBerlin: await issuer.issue({ sub: 'otto', role: 'operator', office: 'berlin' }),
    operatorParis: await issuer.issue({ sub: 'pia', role: 'operator', office: 'paris' }),
    auditor: await issuer.issue({ sub: 'aude', role: 'auditor' }),
    agent: await issuer.issue({ sub: 'agent-berlin-1', role: 'agent', office: 'berlin' }),
  };
  return { issuer, signer, keyWrapper, cloud, tokens };
}

/** A JSON API request: bearer token and body, as every API test sends them. */
export function apiRequest(method: string, options: { token?: string; body?: unknown } = {}): RequestInit {
  return {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      'content-type': 'application/json',
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  };
}

/**
 * The cloud over MemoryTable, called in-process (`app.request`): no port, no server,
 * for the unit project. `fetch` stands in for the global one wherever a client takes
 * a URL (`base`), such as the admin CLI.
 */
export async function memoryCloud(options: TestCloudOptions = {}) {
  const table = new MemoryTable();
  const parts = await composeTestCloud(table, options);
  const fetch = (input: string | URL | Request, init?: RequestInit) =>
    Promise.resolve(parts.cloud.app.request(input, init));
  const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    fetch(path, apiRequest(method, options));
  return { ...parts, table, base: 'http://cardfleet.test', fetch, call };
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
    hold: (job) => cloud.cloud.releaseGate.hold(job),
  };
}

/** A test cloud, in memory or started (cloud-server.ts): what the helpers below use of it. */
type TestCloud = Pick<Awaited<ReturnType<typeof memoryCloud>>, 'cloud' | 'signer' | 'tokens' | 'call'>;

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
