import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { mayOpen } from './access';
import { api, useToken } from './api/client';
import { Layout } from './components/layout';
import { Loading } from './components/ui';
import { type ConsoleConfig, loadConsoleConfig } from './console-config';
import { AuditPage } from './pages/audit-page';
import { BatchPage } from './pages/batch-page';
import { BatchesPage } from './pages/batches-page';
import { EncodingPage } from './pages/encoding-page';
import { EncodingsPage } from './pages/encodings-page';
import { FleetPage } from './pages/fleet-page';
import { ForbiddenPage, HomePage, NotFoundPage } from './pages/home-page';
import { JobNewPage } from './pages/job-new-page';
import { JobPage } from './pages/job-page';
import { JobsPage } from './pages/jobs-page';
import type { PageProps } from './pages/page-props';
import { SignInPage } from './pages/sign-in-page';
import { type PageName, useRoute } from './router';
import { clearSession, type Identity, loadSession, type Session, takeLinkToken } from './session';
import { completeSignIn, startSignIn } from './sign-in';

const PAGES: Record<PageName, (props: PageProps) => JSX.Element> = {
  home: HomePage,
  fleet: FleetPage,
  encodings: EncodingsPage,
  encoding: EncodingPage,
  jobs: JobsPage,
  'job-new': JobNewPage,
  job: JobPage,
  batches: BatchesPage,
  batch: BatchPage,
  audit: AuditPage,
  'not-found': NotFoundPage,
};

type State =
  | { kind: 'starting' }
  | { kind: 'signed-out'; problem?: string }
  | { kind: 'signed-in'; session: Session; identity: Identity };

export function App() {
  const route = useRoute();
  const [config, setConfig] = useState<ConsoleConfig>();
  const [state, setState] = useState<State>({ kind: 'starting' });
  const storage = window.sessionStorage;

  const signOut = (problem?: string) => {
    clearSession(storage);
    useToken(undefined);
    setState(problem ? { kind: 'signed-out', problem } : { kind: 'signed-out' });
  };

  useEffect(() => {
    (async () => {
      const settings = await loadConsoleConfig().catch((): ConsoleConfig => ({ localLinks: false }));
      setConfig(settings);
      const session =
        takeLinkToken(storage) ?? (await completeSignIn(settings, storage)) ?? loadSession(storage);
      if (!session) return setState({ kind: 'signed-out' });
      useToken(session.token, () => signOut('Your sign-in has expired. Please sign in again.'));
      const identity = await api.get<Identity>('/v1/me');
      setState({ kind: 'signed-in', session, identity });
    })().catch((error: unknown) =>
      signOut(error instanceof Error ? `Sign-in failed: ${error.message}` : 'Sign-in failed.'),
    );
  }, []);

  if (state.kind === 'starting') return <Loading what="Signing in" />;
  if (state.kind === 'signed-out')
    return (
      <SignInPage
        config={config}
        problem={state.problem}
        onOidcSignIn={() => {
          if (config?.oidc)
            startSignIn(config.oidc, storage).catch((error: unknown) =>
              setState({ kind: 'signed-out', problem: `Sign-in failed: ${(error as Error).message}` }),
            );
        }}
      />
    );
  const Page = mayOpen(state.identity, route.page) ? PAGES[route.page] : ForbiddenPage;
  return (
    <Layout identity={state.identity} route={route} onSignOut={() => signOut()}>
      <Page identity={state.identity} route={route} />
    </Layout>
  );
}
