import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

export function JobPage(_props: PageProps) {
  return <PageHeader title="Job" />;
}
