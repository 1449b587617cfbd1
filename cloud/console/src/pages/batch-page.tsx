import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

export function BatchPage(_props: PageProps) {
  return <PageHeader title="Batch" />;
}
