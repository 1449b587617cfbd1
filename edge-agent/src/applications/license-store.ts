import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '@cardfleet/shared';
import { writeFileDurably } from '@cardfleet/shared/node';
import { z } from 'zod';

/**
 * Licenses generated on a batch card, kept on disk until the target card has them.
 * Generation costs a credit; loading can fail afterwards (card pulled, wrong PIN), so
 * a license is written and fsynced here *before* it is loaded, and a later attempt for
 * the same card (model + serial) loads the saved one instead of spending a second
 * credit (docs/edge-agent.md, "License applications", step 4).
 */
const SavedLicenseSchema = z.object({
  model: z.string(),
  serial: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  license: z.string().regex(/^[0-9A-F]{256}$/),
  generatedAt: z.string(),
});
export type SavedLicense = z.infer<typeof SavedLicenseSchema>;

export class LicenseStore {
  constructor(private readonly directory: string) {}

  private path(model: Uint8Array, serial: Uint8Array): string {
    return join(this.directory, `${toHex(model)}-${toHex(serial)}.json`);
  }

  find(model: Uint8Array, serial: Uint8Array): SavedLicense | undefined {
    const path = this.path(model, serial);
    if (!existsSync(path)) return undefined;
    const parsed = SavedLicenseSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  }

  /** Durable write: temp file, fsync, rename. */
  save(model: Uint8Array, serial: Uint8Array, saved: SavedLicense): void {
    writeFileDurably(this.path(model, serial), JSON.stringify(saved));
  }

  /** The card holds the license now: forget the saved copy. */
  remove(model: Uint8Array, serial: Uint8Array): void {
    rmSync(this.path(model, serial), { force: true });
  }
}
