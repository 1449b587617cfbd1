import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

export function BatchesPage(_props: PageProps) {
  return <PageHeader title="Batches" />;
}
