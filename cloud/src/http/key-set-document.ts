import { type JwsSigner, type KeySet, signKeySet, type WireVersion } from '@cardfleet/shared';

/**
 * The signed key-set document (shared/src/messages/key-set.ts) served anonymously at
 * `/.well-known/cardfleet-keyset.jws`. Signing is a KMS call in AWS, so the document is
 * signed once per wire version for the current content — the published keys and the
 * signing key — and served from memory until that content changes. Each change gets a
 * newer `issuedAt` (even a return to an earlier key list, which agents must take); the
 * same content keeps its time, which agents take as "no change" (docs/security.md,
 * "A network attacker").
 */
export function keySetDocuments(signer: JwsSigner, now: () => Date = () => new Date()) {
  let current: { content: string; issuedAt: string } | undefined;
  const signed = new Map<WireVersion, Promise<string>>();
  return (keys: KeySet['keys'], version: WireVersion): Promise<string> => {
    const content = JSON.stringify([signer.kid, keys]);
    if (current?.content !== content) {
      const previous = current ? Date.parse(current.issuedAt) : 0;
      const issuedAt = new Date(Math.max(now().getTime(), previous + 1)).toISOString();
      current = { content, issuedAt };
      signed.clear();
    }
    const known = signed.get(version);
    if (known) return known;
    const document = signKeySet({ keys, issuedAt: current.issuedAt }, signer, version);
    signed.set(version, document);
    // A failed signature (KMS unavailable) is not remembered: the next request tries again.
    document.catch(() => signed.delete(version));
    return document;
  };
}
