import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

export function JobsPage(_props: PageProps) {
  return <PageHeader title="Jobs" />;
}
