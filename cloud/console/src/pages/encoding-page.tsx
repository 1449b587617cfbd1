import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

export function EncodingPage(_props: PageProps) {
  return <PageHeader title="Encoding" />;
}
