import { createHash } from 'node:crypto';

/**
 * The digest that names a bundle: sha256 over name ‖ 0 ‖ length ‖ bytes of every file,
 * in name order. The cloud records it when an encoding version is pushed, the job
 * carries it, and the agent checks the bundle it is about to run against it
 * (docs/messaging.md, "Job envelope").
 */
export function bundleSha256(files: readonly { name: string; bytes: Uint8Array }[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(file.name).update('\0').update(String(file.bytes.length)).update('\0').update(file.bytes);
  }
  return hash.digest('hex');
}
