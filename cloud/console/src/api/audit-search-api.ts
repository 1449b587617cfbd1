import type { z } from 'zod';
import type {
  AuditCardProofSchema,
  AuditCheckpointSchema,
  AuditEntryViewSchema,
  AuditPageSchema,
  AuditVerifySchema,
} from '../../../../shared/src/messages/audit-api-schemas';
import type { AuditFilters } from './audit-query';
import { ApiError, api, authorizedFetch, query } from './client';

/**
 * The audit page's searches, checks and exports (docs/api.md, `/v1/audit…`). Types come
 * from the shared zod schemas the API answers with.
 */
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>;
export type AuditPage = z.infer<typeof AuditPageSchema>;
export type AuditVerify = z.infer<typeof AuditVerifySchema>;
export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>;
export type AuditCardProof = z.infer<typeof AuditCardProofSchema>;

export type { AuditFilters };

export const AUDIT_PAGE_SIZE = 50;

export const searchAudit = (filters: AuditFilters, cursor?: string) =>
  api.get<AuditPage>(`/v1/audit${query({ ...filters, cursor, limit: AUDIT_PAGE_SIZE })}`);

export const latestCheckpoint = () => api.get<AuditCheckpoint>('/v1/audit/checkpoint');

export const verifyAuditLog = () => api.get<AuditVerify>('/v1/audit/verify');

/** A card's entries with their inclusion proofs against the newest checkpoint (RFC 6962 §2.1.1). */
export const proveCard = (cardSerial: string) =>
  api.get<AuditCardProof>(`/v1/audit/prove${query({ card: cardSerial })}`);

/**
 * Saves the export of every entry the filters keep. Fetched with the Authorization header
 * and saved from a Blob: the token never goes into a URL (docs/security.md) — a plain link
 * to the export would need it there.
 */
export async function downloadAuditExport(filters: AuditFilters, format: 'csv' | 'json'): Promise<string> {
  const response = await authorizedFetch(`/v1/audit/export${query({ ...filters, format })}`);
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    throw new ApiError(
      response.status,
      body?.error?.code ?? `HTTP_${response.status}`,
      body?.error?.message ?? `the export answered ${response.status}`,
    );
  }
  const blob = await response.blob();
  const name = exportFileName(filters, format);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has handed the Blob to the download.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** e.g. `audit-card-04A1B2-2026-12-06.csv`: what was exported, and when. */
export function exportFileName(filters: AuditFilters, format: 'csv' | 'json'): string {
  const what = [
    filters.cardSerial ? `card-${filters.cardSerial}` : '',
    filters.office ? `office-${filters.office}` : '',
    filters.agentId ? `agent-${filters.agentId}` : '',
  ]
    .filter(Boolean)
    .join('-')
    .replace(/[^A-Za-z0-9_.-]/g, '_');
  return `audit${what ? `-${what}` : ''}-${new Date().toISOString().slice(0, 10)}.${format}`;
}
