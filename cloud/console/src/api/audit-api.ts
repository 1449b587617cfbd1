import type { CardProofs, JwkSet, ShownEntry } from '../audit/proof-check';

/**
 * The console's calls to the audit routes (docs/console-audit.md; the routes and their
 * schemas: cloud/src/http/routes/audit.ts, shared/src/messages/audit-api-schemas.ts). The
 * bearer token goes in the Authorization header only — never in a URL, so it stays out of
 * history, logs and Referer (docs/security.md); an export is fetched the same way and
 * saved from a Blob, never opened as a link.
 */
export interface AuditApi {
  /** Where the API is: '' for the console's own origin. */
  base: string;
  token: string;
  /** The fetch to use (tests pass the app's in-process one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

/** What the API refused, with its error code (ErrorBody: `{ error: { code, message } }`). */
export class AuditApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuditApiError';
  }
}

export interface AuditFilter {
  cardSerial?: string;
  office?: string;
  agentId?: string;
  /** ISO 8601 times, inclusive. */
  from?: string;
  to?: string;
}

export interface AuditEntryView extends ShownEntry {
  at: string;
  actor: string;
  action: string;
  office: string;
  agentId?: string;
  encoding?: { id: string; version: number; sha256: string };
}

export interface AuditPage {
  items: AuditEntryView[];
  nextCursor?: string;
}

export interface AuditCheckpoint {
  index: number;
  size: number;
  root: string;
  at: string;
  /** The compact JWS: verify it with verifyCheckpoint, never trust the fields beside it. */
  checkpoint: string;
}

export interface AuditConsistency {
  from: string;
  to: string;
  proof: string[];
}

/** GET /v1/audit/verify: the server's own walk of the log (what it found, not a proof). */
export interface AuditVerifyReport {
  ok: boolean;
  entries: number;
  uncovered: number;
  checkpoint?: { index: number; size: number; root: string; jws: string };
  problems: { shard: number | 'LOG'; seq: number; reason: string }[];
  reason?: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function call(api: AuditApi, path: string, accept = 'application/json'): Promise<Response> {
  const send = api.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const response = await send(`${api.base}${path}`, {
    headers: { authorization: `Bearer ${api.token}`, accept },
  });
  if (response.ok) return response;
  let code = 'HTTP_ERROR';
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // not a JSON error body: the status says it
  }
  throw new AuditApiError(response.status, code, message);
}

const getJson = async <T>(api: AuditApi, path: string): Promise<T> =>
  (await call(api, path)).json() as Promise<T>;

/** One page of entries the filters keep (operators see their office only). */
export const searchAudit = (
  api: AuditApi,
  filter: AuditFilter,
  page: { limit?: number; cursor?: string } = {},
) => getJson<AuditPage>(api, `/v1/audit${query({ ...filter, ...page })}`);

/** Every entry the filters keep, page after page, up to `max` (a card's history is short). */
export async function searchAuditAll(
  api: AuditApi,
  filter: AuditFilter,
  max = 5000,
): Promise<AuditEntryView[]> {
  const items: AuditEntryView[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchAudit(api, filter, { limit: 500, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items.slice(0, max);
}

/** One entry by its position. */
export const auditEntry = (api: AuditApi, shard: number, seq: number) =>
  getJson<AuditEntryView>(api, `/v1/audit/entries/${shard}/${seq}`);

/** The newest signed checkpoint. */
export const latestCheckpoint = (api: AuditApi) => getJson<AuditCheckpoint>(api, '/v1/audit/checkpoint');

/** A card's entries with inclusion proofs, against checkpoint `checkpoint` (the one the page verified). */
export const cardProofs = (api: AuditApi, cardSerial: string, checkpoint?: number) =>
  getJson<CardProofs>(api, `/v1/audit/prove${query({ card: cardSerial, checkpoint })}`);

/** The consistency proof from checkpoint `from` to the newest. */
export const consistencyFrom = (api: AuditApi, from: number) =>
  getJson<AuditConsistency>(api, `/v1/audit/consistency${query({ from })}`);

/** The server's verification of the log (or from checkpoint `from` on). */
export const verifyReport = (api: AuditApi, from?: number) =>
  getJson<AuditVerifyReport>(api, `/v1/audit/verify${query({ from })}`);

/** The cloud's published signing keys (no token needed; sending it does no harm on the same origin). */
export const publishedKeys = (api: AuditApi) => getJson<JwkSet>(api, '/.well-known/jwks.json');

/** The export as a Blob (CSV or JSON), fetched with the token in the header. */
export async function exportAudit(api: AuditApi, filter: AuditFilter, format: 'csv' | 'json'): Promise<Blob> {
  const accept = format === 'csv' ? 'text/csv' : 'application/json';
  return (await call(api, `/v1/audit/export${query({ ...filter, format })}`, accept)).blob();
}

/** A file name for an export: what it holds and when it was taken (the caller's clock). */
export function exportFileName(filter: AuditFilter, format: 'csv' | 'json', now: Date): string {
  const what = [filter.cardSerial, filter.office, filter.agentId].filter(Boolean).join('-') || 'all';
  const safe = what.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `cardfleet-audit-${safe}-${now.toISOString().replace(/[:.]/g, '-')}.${format}`;
}

/** The part of the DOM a download needs, typed structurally (the module also runs in Node tests). */
interface DownloadDom {
  document: {
    createElement(tag: 'a'): { href: string; download: string; click(): void; remove(): void };
    body: { append(node: unknown): void };
  };
  URL: { createObjectURL(blob: Blob): string; revokeObjectURL(url: string): void };
  setTimeout(run: () => void, ms: number): unknown;
}

/** Saves a Blob as a file: an object URL on a link clicked once, revoked soon after. */
export function saveBlob(blob: Blob, fileName: string, dom = globalThis as unknown as DownloadDom): void {
  const url = dom.URL.createObjectURL(blob);
  const link = dom.document.createElement('a');
  link.href = url;
  link.download = fileName;
  dom.document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has taken the download (some read the URL after the click).
  dom.setTimeout(() => dom.URL.revokeObjectURL(url), 30_000);
}
