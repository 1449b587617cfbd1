import type { z } from 'zod';
import type {
  AuditCheckpointSchema,
  AuditEntryViewSchema,
  AuditPageSchema,
  AuditVerifySchema,
} from '../../../../shared/src/messages/audit-api-schemas';
import { exportFileName, saveBlob } from './audit-api';
import type { AuditFilters } from './audit-query';
import { ApiError, api, authorizedFetch, query } from './client';

/**
 * The audit page's searches, checks and exports (docs/api.md, `/v1/audit…`), through the
 * console's client (client.ts: the tab's token in the header, a 401 signs the tab out).
 * Types come from the shared zod schemas the API answers with; export file names and the
 * Blob download are audit-api.ts's (docs/console-audit.md).
 */
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>;
export type AuditPage = z.infer<typeof AuditPageSchema>;
export type AuditVerify = z.infer<typeof AuditVerifySchema>;
export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>;

export type { AuditFilters };

export const AUDIT_PAGE_SIZE = 50;

export const searchAudit = (filters: AuditFilters, cursor?: string) =>
  api.get<AuditPage>(`/v1/audit${query({ ...filters, cursor, limit: AUDIT_PAGE_SIZE })}`);

export const latestCheckpoint = () => api.get<AuditCheckpoint>('/v1/audit/checkpoint');

export const verifyAuditLog = () => api.get<AuditVerify>('/v1/audit/verify');

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
  const name = exportFileName(filters, format, new Date());
  saveBlob(await response.blob(), name);
  return name;
}
