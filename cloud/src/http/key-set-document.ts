import { type JwsSigner, type KeySet, signKeySet, type WireVersion } from '@cardfleet/shared';

/**
 * The signed key-set document (shared/src/messages/key-set.ts) served anonymously at
 * `/.well-known/cardfleet-keyset.jws`. Signing is a KMS call in AWS, so each document is
 * signed once per content — the published keys and the signing key — and wire version,
 * then served from memory. Its `issuedAt` is when this process first served that content:
 * a changed key list gets a newer time, an unchanged one keeps its own, which agents take
 * as "no change" (docs/security.md, "A network attacker").
 */
const MAX_DOCUMENTS = 32;

export function keySetDocuments(signer: JwsSigner, now: () => Date = () => new Date()) {
  const issued = new Map<string, string>();
  const signed = new Map<string, Promise<string>>();
  return (keys: KeySet['keys'], version: WireVersion): Promise<string> => {
    const content = JSON.stringify([signer.kid, keys]);
    const cacheKey = `${version}|${content}`;
    const known = signed.get(cacheKey);
    if (known) return known;
    if (signed.size >= MAX_DOCUMENTS) {
      signed.clear();
      issued.clear();
    }
    const issuedAt = issued.get(content) ?? now().toISOString();
    issued.set(content, issuedAt);
    const document = signKeySet({ keys, issuedAt }, signer, version);
    signed.set(cacheKey, document);
    // A failed signature (KMS unavailable) is not remembered: the next request tries again.
    document.catch(() => signed.delete(cacheKey));
    return document;
  };
}
