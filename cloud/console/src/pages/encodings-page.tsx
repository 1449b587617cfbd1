import { may } from '../access';
import { type EncodingSummary, paths } from '../api/encodings-api';
import { UploadBundle } from '../components/encodings/upload-bundle';
import { Link } from '../components/link';
import { Button, ErrorNote, Loading, PageHeader, Table, Time, useApi } from '../components/ui';
import { navigate } from '../router';
import type { PageProps } from './page-props';

/**
 * The encodings (docs/encoding-format.md): each with its latest version. Admins upload a
 * bundle here (`?upload`, so the form has an address and the back button closes it).
 */
export function EncodingsPage({ identity, route }: PageProps) {
  const { data, error, loading } = useApi<{ items: EncodingSummary[] }>(paths.list);
  const uploading = may.pushEncoding(identity) && route.search.has('upload');
  const items = [...(data?.items ?? [])].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  return (
    <>
      <PageHeader title="Encodings">
        {may.pushEncoding(identity) && !uploading ? (
          <Button kind="primary" onClick={() => navigate('/encodings?upload')}>
            Upload a bundle
          </Button>
        ) : null}
      </PageHeader>
      {uploading ? <UploadBundle onCancel={() => navigate('/encodings')} /> : null}
      <ErrorNote error={error} />
      {loading && !data ? <Loading what="Loading encodings" /> : null}
      {data && items.length === 0 ? <p>No encoding yet.</p> : null}
      {uploading && items.length ? <h2>All encodings</h2> : null}
      {items.length ? (
        <Table caption="Encodings and their latest versions">
          <thead>
            <tr>
              <th scope="col">Encoding</th>
              <th scope="col">Latest version</th>
              <th scope="col">sha256</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link to={`/encodings/${encodeURIComponent(item.id)}`}>{item.id}</Link>
                </td>
                <td>v{item.latestVersion}</td>
                <td>
                  <span class="mono" title={item.sha256}>
                    {item.sha256.slice(0, 12)}
                  </span>
                </td>
                <td>
                  <Time at={item.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </>
  );
}
