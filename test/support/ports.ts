import { createServer } from 'node:net';
import { listening } from '../../edge-agent/src/virtual-card/vpcd-detect';

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

export { listening } from '../../edge-agent/src/virtual-card/vpcd-detect';

export async function untilListening(port: number, present = true, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (listening(port) !== present) {
    if (Date.now() > deadline)
      throw new Error(`port ${port} ${present ? 'never listened' : 'still listens'}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
