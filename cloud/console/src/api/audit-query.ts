/**
 * The audit search filters (docs/api.md, `GET /v1/audit`); times are ISO 8601, which the
 * API compares as text with each entry's `at`.
 */
export interface AuditFilters {
  cardSerial?: string;
  office?: string;
  agentId?: string;
  from?: string;
  to?: string;
}
