import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free loopback TCP port (bound and released). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? res(address.port) : rej(new Error('no port')),
      );
    });
  });
}

/**
 * Whether something listens on the port, read from /proc/net/tcp: a probe connection
 * would be taken by vpcd for a card, and shows up in a broker's log.
 */
export function listening(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A'; // 0A = LISTEN
    });
}

export async function untilListening(port: number, present = true, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (listening(port) !== present) {
    if (Date.now() > deadline)
      throw new Error(`port ${port} ${present ? 'never listened' : 'still listens'}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
