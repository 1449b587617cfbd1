import { navFor } from '../access';
import { Link } from '../components/link';
import { PageHeader } from '../components/ui';
import type { PageProps } from './page-props';

const WHAT: Record<string, string> = {
  fleet: 'Agents by office, whether they are online, their readers and cards.',
  encodings: 'Encoding descriptions: versions, differences, dry runs and releases.',
  jobs: 'Personalisation jobs: start one, follow it live, see its result.',
  batches: 'Many cards in a row at one reader: done, failed, remaining.',
  audit: 'The tamper-evident trail: search, card histories verified in this browser, export.',
};

export function HomePage({ identity }: PageProps) {
  return (
    <>
      <PageHeader title={`Welcome, ${identity.sub}`} />
      <ul class="cards">
        {navFor(identity).map(({ page, label, path }) => (
          <li key={page} class="card">
            <h2>
              <Link to={path}>{label}</Link>
            </h2>
            <p>{WHAT[page]}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no such page. <Link to="/">Back to the start</Link>.
      </p>
    </>
  );
}

export function ForbiddenPage() {
  return (
    <>
      <PageHeader title="Not available for your role" />
      <p>
        Your role may not open this page. <Link to="/">Back to the start</Link>.
      </p>
    </>
  );
}
