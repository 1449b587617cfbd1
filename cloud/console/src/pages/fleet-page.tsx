import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

export function FleetPage(_props: PageProps) {
  return <PageHeader title="Fleet" />;
}
