import { timingSafeEqual } from 'node:crypto';

/**
 * The operator console's two gates (docs/security.md, "An office operator"): it answers
 * only requests addressed to its loopback address and port (a page elsewhere cannot
 * rebind a name onto it: the Host header would not match), and its API only the bearer
 * of the console token, compared in constant time.
 */
export function isLoopbackHost(host: string | undefined, port: number | undefined): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
