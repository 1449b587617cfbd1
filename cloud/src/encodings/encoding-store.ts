import {
  type Bundle,
  bundleSha256,
  CardfleetError,
  type JobField,
  jobFieldsOf,
  validateBundle,
} from '@cardfleet/shared';
import { LruCache } from '../storage/lru-cache';
import { LOST, retryOptimistic } from '../storage/optimistic-retry';
import { SealedStore } from '../storage/sealed-store';
import { indexKeys, keys } from '../storage/table-design';
import type { Item } from '../storage/table-port';
import { redactedBundleFiles } from './encoding-redaction';

/**
 * Encodings and their immutable versions. A push validates the bundle, seals it
 * (envelope encryption: encodings carry literal secrets such as a factory CMK), and
 * writes the version with a conditional put — a version is written once — then moves
 * the LATEST pointer with an optimistic check. Readers get the redacted view.
 */
export interface EncodingVersion {
  id: string;
  version: number;
  sha256: string;
  createdAt: string;
  createdBy: string;
  applications: { name: string; kind: string }[];
  secretFields: string[];
  /** The job fields a job of this version takes, with their rules (docs/encoding-format.md, "Job fields"). */
  fields: JobField[];
  /** Total bytes of the bundle's files (for the envelope size check). */
  bundleBytes: number;
  files: { name: string; text: string }[];
  /** Pushed under release control (docs/releases.md): a draft until approved and released; false for earlier versions. */
  managed: boolean;
}

export class EncodingStore extends SealedStore {
  /** Version items are immutable (written once): each is read from the table once per instance. */
  private readonly versions = new LruCache<string, Item>(256);
  /** Job fields of versions pushed before views had them, read from their bundles once. */
  private readonly olderFields = new LruCache<string, JobField[]>(256);

  async push(
    id: string,
    bundle: Bundle,
    actor: { sub: string; office?: string },
  ): Promise<{ id: string; version: number; sha256: string }> {
    const { bundle: valid, problems } = validateBundle(bundle);
    if (!valid) {
      throw new CardfleetError('ENCODING_INVALID', `the bundle has ${problems.length} problem(s)`, {
        details: {
          problems: problems.map((p) => ({ code: p.code, message: p.message, ...(p.position ?? {}) })),
        },
      });
    }
    const files = [...bundle.files].sort((a, b) => (a.name < b.name ? -1 : 1));
    const sha256 = bundleSha256(files);
    const texts = new Map(files.map((f) => [f.name, new TextDecoder().decode(f.bytes)]));
    const bundleFiles = files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') }));
    const view = {
      bundleBytes: files.reduce((n, f) => n + f.bytes.length, 0),
      applications: valid.encoding.applications.map((a) => ({ name: a.name, kind: a.kind })),
      secretFields: valid.secretFields,
      fields: jobFieldsOf(valid),
      files: redactedBundleFiles(valid, texts),
    };
    const pushed = await retryOptimistic(
      `encoding ${id}`,
      async () => {
        const latest = await this.table.get(keys.encodingLatest(id));
        const version = (latest ? Number(latest.latestVersion) : 0) + 1;
        const createdAt = this.now();
        // Sealed for this version's item (no KMS call: the data key is cached).
        const sealed = await this.sealFor(keys.encodingVersion(id, version), 'sealed', bundleFiles);
        const written = await this.table.putNew({
          ...keys.encodingVersion(id, version),
          sha256,
          createdAt,
          createdBy: actor.sub,
          managed: 1, // under release control: a draft until a second admin approves it (docs/releases.md)
          sealed,
          view: JSON.stringify(view),
        });
        if (!written) return LOST; // another push took this version number
        await this.table.putIfVersion(
          {
            ...keys.encodingLatest(id),
            ...indexKeys.encodingsEntry(id),
            encodingId: id,
            latestVersion: version,
            sha256,
            updatedAt: createdAt,
            version,
          },
          latest ? Number(latest.version) : undefined,
        );
        return { id, version, sha256, createdAt };
      },
      this.retryPolicy,
    );
    await this.audit.append({
      at: pushed.createdAt,
      actor: actor.sub,
      action: 'encoding.push',
      office: actor.office ?? '*',
      encoding: { id, version: pushed.version, sha256 },
    });
    return { id, version: pushed.version, sha256 };
  }

  async list(): Promise<{ id: string; latestVersion: number; sha256: string; updatedAt: string }[]> {
    const items = await this.table.query(indexKeys.encodings, { index: 'GSI1' });
    return items.map((i) => ({
      id: String(i.encodingId),
      latestVersion: Number(i.latestVersion),
      sha256: String(i.sha256),
      updatedAt: String(i.updatedAt),
    }));
  }

  async get(id: string, version?: number): Promise<EncodingVersion | undefined> {
    const v = version ?? Number((await this.table.get(keys.encodingLatest(id)))?.latestVersion ?? 0);
    if (!v) return undefined;
    const item = await this.versionItem(id, v);
    if (!item) return undefined;
    const view = JSON.parse(String(item.view)) as Pick<
      EncodingVersion,
      'applications' | 'secretFields' | 'files' | 'bundleBytes'
    > & { fields?: JobField[] };
    return {
      id,
      version: v,
      sha256: String(item.sha256),
      createdAt: String(item.createdAt),
      createdBy: String(item.createdBy),
      ...view,
      fields: view.fields ?? (await this.fieldsFromBundle(id, v)),
      managed: item.managed === 1,
    };
  }

  /** A version pushed before views listed job fields: they follow from its bundle (jobFieldsOf). */
  private async fieldsFromBundle(id: string, version: number): Promise<JobField[]> {
    const cacheKey = `${id} ${version}`;
    const known = this.olderFields.get(cacheKey);
    if (known) return known;
    const files = (await this.sealedBundle(id, version)) ?? [];
    const { bundle } = validateBundle({
      files: files.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.base64, 'base64')) })),
    });
    const fields = bundle ? jobFieldsOf(bundle) : [];
    this.olderFields.set(cacheKey, fields);
    return fields;
  }

  private async versionItem(id: string, version: number): Promise<Item | undefined> {
    const key = keys.encodingVersion(id, version);
    const cached = this.versions.get(JSON.stringify(key));
    if (cached) return cached;
    const item = await this.table.get(key);
    if (item) this.versions.set(JSON.stringify(key), item);
    return item;
  }

  /** The bundle with its secrets, for signing jobs only (never returned by the API). */
  async sealedBundle(id: string, version: number): Promise<{ name: string; base64: string }[] | undefined> {
    const item = await this.versionItem(id, version);
    if (!item) return undefined;
    return this.openFrom(keys.encodingVersion(id, version), 'sealed', String(item.sealed));
  }
}
