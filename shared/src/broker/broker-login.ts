import { type KeyObject, randomUUID, sign } from 'node:crypto';
import { type CryptoKey, compactVerify, type JWK } from 'jose';
import { z } from 'zod';
import { CardfleetError } from '../errors/cardfleet-error';
import { SIGNING_ALGORITHM } from '../messages/jws-signer';

/**
 * The agent's MQTT password for a broker that runs the cardfleet authorizer (IoT Core's
 * custom authorizer; the embedded Aedes): a short-lived compact JWS (RFC 7515), ES256,
 * signed with the key the agent enrolled, `typ: cardfleet-broker-login+jwt`, claims
 * `sub` (the agent id, also the MQTT username and client id), `aud` (the topic root it
 * logs in to, so a login for one stage is no login for another), `iat`, `exp`, `jti`.
 * The authorizer checks it against the enrolled public key (docs/messaging.md, "Broker
 * identity"; docs/security.md).
 *
 * Signed synchronously (node:crypto, ECDSA in the IEEE P1363 form JOSE uses, RFC 7518
 * §3.4): mqtt.js reuses `options.password` on every reconnect, so the agent replaces it
 * in the 'reconnect' event, which mqtt.js emits synchronously right before CONNECT.
 */
export const BROKER_LOGIN_TYPE = 'cardfleet-broker-login+jwt';
/**
 * How long a login lives: one hour, the longest the authorizer takes. IoT Core calls the
 * authorizer again with the same password every `refreshAfterInSeconds` for as long as
 * the connection lasts, so the authorizer ends a connection (`disconnectAfterInSeconds`)
 * before its login expires (cloud/src/broker/broker-authorizer.ts).
 */
export const BROKER_LOGIN_SECONDS = 3600;
export const MAX_BROKER_LOGIN_SECONDS = 3600;
/** Clock difference tolerated between agent and cloud. */
export const BROKER_LOGIN_SKEW_SECONDS = 60;

const ClaimsSchema = z
  .object({
    sub: z.string().min(1).max(128),
    aud: z.string().min(1).max(256),
    iat: z.number().int(),
    exp: z.number().int(),
    jti: z.string().min(8).max(64),
  })
  .strict();
export type BrokerLoginClaims = z.infer<typeof ClaimsSchema>;

const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** A fresh login for `agentId` to the broker tree `audience`, valid from `now` (seconds). */
export function signBrokerLogin(
  privateKey: KeyObject,
  input: { agentId: string; audience: string; now: number; lifetimeSeconds?: number },
): string {
  const header = { alg: SIGNING_ALGORITHM, kid: input.agentId, typ: BROKER_LOGIN_TYPE };
  const claims: BrokerLoginClaims = {
    sub: input.agentId,
    aud: input.audience,
    iat: input.now,
    exp: input.now + (input.lifetimeSeconds ?? BROKER_LOGIN_SECONDS),
    jti: randomUUID(),
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${base64url(signature)}`;
}

const refused = (why: string) => new CardfleetError('BROKER_LOGIN_REFUSED', `broker login refused: ${why}`);

/**
 * The claims of a login `agentId` signed with `publicKey` for `audience`, valid at `now`
 * (seconds since the epoch); BROKER_LOGIN_REFUSED otherwise. The `typ` and algorithm
 * are checked before the signature, the claims only after it.
 */
export async function verifyBrokerLogin(
  token: string,
  publicKey: CryptoKey | KeyObject | JWK,
  expected: { agentId: string; audience: string; now: number },
): Promise<BrokerLoginClaims> {
  if (token.length > 2048) throw refused('too long');
  let payload: Uint8Array;
  try {
    // Stryker disable next-line ObjectLiteral: an enrolled key is P-256 and jose verifies such a key with ES256 only; the list states it
    const verified = await compactVerify(token, publicKey, { algorithms: [SIGNING_ALGORITHM] });
    if (verified.protectedHeader.typ !== BROKER_LOGIN_TYPE) throw refused('not a broker login');
    payload = verified.payload;
  } catch (error) {
    if (error instanceof CardfleetError) throw error;
    throw refused('bad signature or format');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw refused('claims are not JSON');
  }
  const parsed = ClaimsSchema.safeParse(json);
  if (!parsed.success) throw refused('malformed claims');
  const claims = parsed.data;
  if (claims.sub !== expected.agentId) throw refused('for another agent');
  if (claims.aud !== expected.audience) throw refused('for another broker');
  if (claims.exp - claims.iat > MAX_BROKER_LOGIN_SECONDS || claims.exp <= claims.iat)
    throw refused('lifetime too long');
  if (claims.iat > expected.now + BROKER_LOGIN_SKEW_SECONDS) throw refused('issued in the future');
  if (claims.exp <= expected.now) throw refused('expired');
  return claims;
}
