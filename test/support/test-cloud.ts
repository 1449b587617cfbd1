import { localIssuer } from '../../cloud/src/auth/identity';
import { type CloudParts, composeCloud } from '../../cloud/src/compose';
import { localKeyWrapper } from '../../cloud/src/crypto/envelope-encryption';
import { localSigner } from '../../cloud/src/crypto/signer';
import { MemoryTable } from '../../cloud/src/storage/memory-table';
import type { Table } from '../../cloud/src/storage/table-port';

export type TestCloudOptions = Pick<CloudParts, 'nextKeys' | 'previousKeys' | 'publication'> & {
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
