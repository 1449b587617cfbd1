import type { ComponentChildren } from 'preact';
import { navFor } from '../access';
import type { Route } from '../router';
import type { Identity } from '../session';
import { Link } from './link';

/** The frame of every signed-in page: skip link, header with the nav and who is signed in. */
export function Layout({
  identity,
  route,
  onSignOut,
  children,
}: {
  identity: Identity;
  route: Route;
  onSignOut: () => void;
  children: ComponentChildren;
}) {
  const section = route.page.replace(/^(encoding|job|batch)$/, '$1s').replace('job-new', 'jobs');
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link to="/" class="brand">
          cardfleet
        </Link>
        <nav aria-label="Sections">
          <ul>
            {navFor(identity).map(({ page, label, path }) => (
              <li key={page}>
                <Link to={path} aria-current={section === page ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="whoami">
          <span>
            {identity.sub} · {identity.role}
            {identity.office ? ` · ${identity.office}` : ''}
          </span>
          <button type="button" class="button button-secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">{children}</main>
    </>
  );
}
