// Used by the bins when they run from a repository checkout (not from an installed
// package): the built JavaScript is used only while it is newer than every source it was
// bundled from, so a command run after an edit never runs yesterday's code. Checking
// costs one stat per source file (a few ms); a stale or missing build is rebuilt once
// (1-3 s), under a lock so that parallel test processes do not build at the same time.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildTarget, root, STAMP, TARGETS } from './build.mjs';

const LOCK = join(root, 'node_modules/.cache/cardfleet-build.lock');
const STALE_LOCK_MS = 120_000;

/** True when the target's build exists and no source it lists changed since. */
export function isFresh(name) {
  const stampPath = join(root, TARGETS[name].directory, STAMP);
  if (!existsSync(stampPath)) return false;
  const { builtAt, inputs } = JSON.parse(readFileSync(stampPath, 'utf8'));
  for (const input of inputs) {
    const stat = statSync(join(root, input), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > builtAt) return false;
  }
  return true;
}

/** Rebuilds the target when it is stale (one line on a terminal's stderr when it does). */
export async function ensureBuilt(name) {
  if (isFresh(name)) return;
  await withLock(async () => {
    if (isFresh(name)) return; // built by another process while this one waited
    // Said to a person only: a script or test reading stderr gets the command's own output.
    if (process.stderr.isTTY)
      process.stderr.write(`cardfleet: building ${name} (sources changed since the last build)\n`);
    try {
      await buildTarget(name);
    } catch (error) {
      // esbuild has printed what it could not bundle; or it is not installed (npm ci
      // --omit=dev). Then the command says why, in the CLIs' `message [CODE]` form.
      const reason =
        error.code === 'ERR_MODULE_NOT_FOUND'
          ? 'esbuild is not installed (npm ci, with the dev dependencies)'
          : 'the sources do not bundle (see above)';
      process.stderr.write(`cardfleet: cannot build ${name}: ${reason} [NOT_BUILT]\n`);
      process.exit(2);
    }
  });
}

async function withLock(work) {
  mkdirSync(join(LOCK, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const held = statSync(LOCK, { throwIfNoEntry: false });
      // A lock left by a killed process is taken over after a while.
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
