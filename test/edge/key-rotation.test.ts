import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSigner, type Signer } from '../../cloud/src/crypto/signer';
import { loadAgentIdentity } from '../../edge-agent/src/daemon/agent-identity';
import { startCloud } from '../support/cloud-server';

// Cloud key rotation as an agent sees it, over the real HTTP API and the
// `cardfleet-agent` CLI: a key set is taken only when signed by a key already pinned.
const agentCli = join(import.meta.dirname, '../../edge-agent/bin/cardfleet-agent.mjs');
const cli = (...args: string[]) => promisify(execFile)('node', [agentCli, ...args]);

describe('key-set updates signed by a pinned key', () => {
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  const k1 = localSigner('k1');
  const k2 = localSigner('k2');
  // The cloud's signing key and published key lists, switched by the test.
  type LocalSigner = Awaited<typeof k1>;
  const state: { current: LocalSigner; next: JWK[]; previous: JWK[] } = {
    current: undefined as unknown as LocalSigner,
    next: [],
    previous: [],
  };
  const signer: Signer & { publicKey: LocalSigner['publicKey'] } = {
    get kid() {
      return state.current.kid;
    },
    get publicKey() {
      return state.current.publicKey;
    },
    sign: (payload, typ) => state.current.sign(payload, typ),
    publicJwk: () => state.current.publicJwk(),
  };
  const pinnedKids = async (agentState: string) =>
    [...(await loadAgentIdentity(agentState)).keys.keys()].sort();

  beforeAll(async () => {
    state.current = await k1;
    cloud = await startCloud({
      signer,
      nextKeys: async () => state.next,
      previousKeys: async () => state.previous,
    });
  });
  // Each test enrols an agent of its own while the cloud signs with k1 (tests pass in any order).
  let agents = 0;
  const states: string[] = [];
  const enrolledAgent = async (): Promise<string> => {
    Object.assign(state, { current: await k1, next: [], previous: [] });
    const id = `agent-keys-${++agents}`;
    const added = (await (
      await cloud.call('POST', '/v1/agents', { token: cloud.tokens.admin, body: { id, office: 'berlin' } })
    ).json()) as { enrolmentCode: string };
    const agentState = mkdtempSync(join(tmpdir(), 'cardfleet-keys-'));
    states.push(agentState);
    await cli('enrol', '--api', cloud.base, '--id', id, '--code', added.enrolmentCode, '--state', agentState);
    return agentState;
  };
  afterAll(async () => {
    await cloud.close();
    for (const dir of states) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a set signed by a key the agent never pinned and keeps its pins', async () => {
    const agentState = await enrolledAgent();
    expect(await pinnedKids(agentState)).toEqual(['k1']);
    state.current = await k2; // rotated without announcing k2 first
    state.previous = [await (await k1).publicJwk()];
    const refused = await cli('keys', 'update', '--state', agentState).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('KEYSET_UNTRUSTED');
    expect(await pinnedKids(agentState)).toEqual(['k1']);
    state.current = await k1;
    state.previous = [];
  });

  it('follows a two-step rotation: next key announced under k1, then k2 signs', async () => {
    const agentState = await enrolledAgent();
    state.next = [await (await k2).publicJwk()];
    const announced = await cli('keys', 'update', '--state', agentState);
    expect(announced.stdout).toContain('added k2');
    expect(await pinnedKids(agentState)).toEqual(['k1', 'k2']);
    state.current = await k2;
    state.next = [];
    state.previous = [];
    const switched = await cli('keys', 'update', '--state', agentState);
    expect(switched.stdout).toContain('removed k1');
    expect(await pinnedKids(agentState)).toEqual(['k2']);
    const held = JSON.parse(readFileSync(join(agentState, 'pinned-keys.json'), 'utf8')) as {
      issuedAt: string;
    };
    expect(Date.parse(held.issuedAt)).toBeGreaterThan(0);
  });
});
