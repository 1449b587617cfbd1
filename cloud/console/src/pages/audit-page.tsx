import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

export function AuditPage(_props: PageProps) {
  return <PageHeader title="Audit" />;
}
