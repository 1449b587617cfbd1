import { useMemo } from 'preact/hooks';
import { may } from '../access';
import { filtersFrom, filtersKey } from '../components/audit/audit-filters';
import { AuditResults } from '../components/audit/audit-results';
import { AuditSearchForm } from '../components/audit/audit-search-form';
import { CardHistory } from '../components/audit/card-history';
import { ChainStatus } from '../components/audit/chain-status';
import { ExportButtons } from '../components/audit/export-buttons';
import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

/**
 * The audit trail (docs/security.md, "An auditor"): search by card, office, agent and
 * time; an entry's every field; the chain's newest signed checkpoint; a card's history
 * verified in this browser; exports. Operators search their office's entries only (the
 * API scopes them); the chain, proofs and exports are for admins and auditors.
 */
export function AuditPage({ identity, route }: PageProps) {
  const search = route.search.toString();
  const filters = useMemo(() => filtersFrom(new URLSearchParams(search)), [search]);
  const key = filtersKey(filters);
  const reviewer = may.exportAudit(identity);
  return (
    <>
      <PageHeader title="Audit">{reviewer ? <ExportButtons filters={filters} /> : null}</PageHeader>
      <div class="audit-layout">
        <div class="audit-main">
          <AuditSearchForm
            key={key}
            filters={filters}
            {...(identity.role === 'operator' && identity.office ? { fixedOffice: identity.office } : {})}
          />
          {reviewer && filters.cardSerial ? (
            <CardHistory key={filters.cardSerial} cardSerial={filters.cardSerial} />
          ) : null}
          <AuditResults key={key} filters={filters} />
        </div>
        {reviewer ? (
          <aside class="audit-side" aria-label="Chain status">
            <ChainStatus />
          </aside>
        ) : null}
      </div>
    </>
  );
}
