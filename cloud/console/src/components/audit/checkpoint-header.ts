/**
 * The key id a checkpoint was signed with: the `kid` of its compact JWS protected header
 * (RFC 7515 §4.1.4). Read only for display — the signature is checked by the cloud when it
 * answers, and in this browser by the card-history check.
 */
export function checkpointKeyId(jws: string): string | undefined {
  const [header] = jws.split('.');
  if (!header) return undefined;
  try {
    const json = atob(
      header
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(header.length / 4) * 4, '='),
    );
    const kid = (JSON.parse(json) as { kid?: unknown }).kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}
