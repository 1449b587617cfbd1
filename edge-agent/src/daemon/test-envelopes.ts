import { generateKeyPairSync } from 'node:crypto';
import type { VerificationKey } from '@cardfleet/shared';
import { generateKeyPair } from 'jose';

/**
 * The keys the agent's envelope tests share: the agent's own key pair (secrets are
 * encrypted to it) and the cloud's signing key, pinned as `cloud-1` the way enrolment
 * pins it (docs/edge-agent.md). Made once per test file that imports this.
 */

/** Seconds since the epoch the tests run at (the injected clock). */
export const NOW = 1_800_000_000;

export const agentKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const cloudKey = await generateKeyPair('ES256');
export const keys: ReadonlyMap<string, VerificationKey> = new Map([['cloud-1', cloudKey.publicKey]]);
