import { existsSync, readFileSync } from 'node:fs';
import { PcscliteReaders } from '../readers/pcsclite-readers';
import { VPCD_DEFAULT_PORT } from './vpcd-link';

/**
 * Whether something listens on a local TCP port, read from /proc/net/tcp (Linux): a
 * probe connection would be taken by vpcd for a card being inserted.
 */
export function listening(port: number): boolean {
  if (!existsSync('/proc/net/tcp')) return false;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A'; // 0A = LISTEN
    });
}

/**
 * Whether pcscd runs with vsmartcard's vpcd driver and its first reader is empty, so a
 * virtual card can be put in it (npm start then works through PC/SC like with a real
 * card). False on a machine without pcscd, vpcd or the pcsclite binding.
 */
export async function emptyVpcdReader(
  reader = 'Virtual PCD 00 00',
  port = VPCD_DEFAULT_PORT,
): Promise<boolean> {
  if (!existsSync('/run/pcscd/pcscd.comm') || !listening(port)) return false;
  let readers: PcscliteReaders | undefined;
  try {
    readers = new PcscliteReaders();
    const deadline = Date.now() + 1500;
    while (Date.now() < deadline) {
      const found = (await readers.readers()).find((r) => r.name === reader);
      if (found) return !found.cardPresent;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  } catch {
    return false;
  } finally {
    await readers?.close();
  }
}
