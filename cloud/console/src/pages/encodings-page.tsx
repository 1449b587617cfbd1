import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

export function EncodingsPage(_props: PageProps) {
  return <PageHeader title="Encodings" />;
}
