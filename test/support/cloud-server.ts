import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { localIssuer } from '../../cloud/src/auth/identity';
import { composeCloud } from '../../cloud/src/compose';
import { localKeyWrapper } from '../../cloud/src/crypto/envelope-encryption';
import { localSigner } from '../../cloud/src/crypto/signer';
import type { PublicationDeps } from '../../cloud/src/publishing/job-publication';
import type { Publisher } from '../../cloud/src/publishing/publisher';
import { startDynalite } from './dynalite';

/** The cloud API on a real port over dynalite, with a token for each role. */
export async function startCloud() {
  const db = await startDynalite();
  const issuer = await localIssuer();
  const signer = await localSigner('k1');
  const keyWrapper = localKeyWrapper(new Uint8Array(32).fill(7));
  const cloud = composeCloud({ table: db.table, tokens: issuer, keyWrapper, signer });
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
