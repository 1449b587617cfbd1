import { join } from 'node:path';
import { type ValidatedBundle, validateBundle } from '@cardfleet/shared';
import { readBundleFromPath } from '@cardfleet/shared/node';

export const examples = join(import.meta.dirname, '../../examples');

/** A validated bundle from examples/<name>, or from in-memory files. */
export function exampleBundle(name: string): ValidatedBundle {
  return validated(validateBundle(readBundleFromPath(join(examples, name))));
}

export function bundleOf(files: Record<string, string>): ValidatedBundle {
  return validated(
    validateBundle({
      files: Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })),
    }),
  );
}

function validated(result: ReturnType<typeof validateBundle>): ValidatedBundle {
  if (!result.bundle) throw new Error(result.problems.map((p) => p.describe()).join('\n'));
  return result.bundle;
}
