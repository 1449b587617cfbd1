import type { ConsoleConfig } from '../console-config';

/**
 * Signed out. With an OpenID provider configured (AWS), one button starts the
 * authorization-code flow with PKCE; locally, `npm start` prints a sign-in link per role.
 */
export function SignInPage({
  config,
  onOidcSignIn,
  problem,
}: {
  config: ConsoleConfig | undefined;
  onOidcSignIn: () => void;
  problem?: string | undefined;
}) {
  return (
    <main id="main" class="sign-in">
      <h1 tabIndex={-1}>Sign in to cardfleet</h1>
      {problem ? (
        <div class="note note-error" role="alert">
          {problem}
        </div>
      ) : null}
      {config?.oidc ? (
        <p>
          <button type="button" class="button button-primary" onClick={onOidcSignIn}>
            Sign in with your organisation's account
          </button>
        </p>
      ) : null}
      {config?.localLinks ? (
        <p>
          On a local installation, open the sign-in link that <code>npm start</code> printed for your role
          (admin, operator or auditor).
        </p>
      ) : null}
      {config && !config.oidc && !config.localLinks ? (
        <p>No sign-in method is configured for this console.</p>
      ) : null}
    </main>
  );
}
