import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CardfleetError } from '@cardfleet/shared';

/**
 * Where every signed checkpoint is published outside the table (docs/security.md, "Someone
 * with write access to the table"): write once, so a table writer who puts an older
 * checkpoint back with a truncated tail is caught — the witness already holds the newer
 * one. Locally a directory of write-once files; in AWS an S3 bucket with Object Lock
 * (cloud/src/aws/s3-checkpoint-witness.ts). Checkpoints are addressed by their index k.
 */
export interface CheckpointWitness {
  /** Stores checkpoint k once; publishing the same JWS again is no error, another one is. */
  publish(index: number, jws: string): Promise<void>;
  /** Checkpoint k as published, or undefined. */
  get(index: number): Promise<string | undefined>;
}

const name = (index: number) => `${String(index).padStart(12, '0')}.jws`;

/** A witness in memory (unit tests; a cloud without a configured witness). */
export function memoryWitness(): CheckpointWitness & { published: Map<number, string> } {
  const published = new Map<number, string>();
  return {
    published,
    async publish(index, jws) {
      const there = published.get(index);
      if (there !== undefined && there !== jws) throw overwrite(index);
      published.set(index, jws);
    },
    async get(index) {
      return published.get(index);
    },
  };
}

/**
 * A directory of write-once files (`wx`: the file must not exist), under the local
 * cloud's data directory. Someone with the table but not this directory cannot rewrite it.
 */
export function directoryWitness(dir: string): CheckpointWitness {
  return {
    async publish(index, jws) {
      await mkdir(dir, { recursive: true });
      try {
        await writeFile(join(dir, name(index)), jws, { flag: 'wx', mode: 0o444 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if ((await readFile(join(dir, name(index)), 'utf8')) !== jws) throw overwrite(index);
      }
    },
    async get(index) {
      try {
        return await readFile(join(dir, name(index)), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

function overwrite(index: number): CardfleetError {
  return new CardfleetError('AUDIT_TAMPERED', `the witness already holds another checkpoint ${index}`);
}

/** The object key of checkpoint k in a witness bucket. */
export const witnessObjectKey = (index: number) => `checkpoints/${name(index)}`;
