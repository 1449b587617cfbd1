import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { startDynalite } from './dynalite';
import { apiRequest, composeTestCloud, type TestCloudOptions } from './test-cloud';

export { addEnrolledAgent, exampleFiles, publicationDeps, pushExample } from './test-cloud';

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
