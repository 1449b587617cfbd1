/**
 * Who is signed in to this tab (docs/console.md, "Sign-in"). The token lives in
 * sessionStorage — per tab, gone when the tab closes — and only ever travels in the
 * Authorization header. A local sign-in link carries it in the URL fragment
 * (`/console/#token=…`), which browsers never send in a request line; it is taken out
 * of the address bar at once, so it is not left in history or shown on screen.
 */
export interface Session {
  token: string;
  /** How the token came: a local link printed by `npm start`, or the OpenID provider. */
  via: 'link' | 'oidc';
}

/** The identity as the API sees it (GET /v1/me): what the console shows and offers. */
export interface Identity {
  sub: string;
  role: 'admin' | 'operator' | 'auditor' | 'agent';
  office?: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'cardfleet.session';

/** A `#token=…` fragment becomes this tab's session; the fragment is removed either way. */
export function takeLinkToken(storage: KeyValueStore): Session | undefined {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = fragment.get('token');
  if (!token) return undefined;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  const session: Session = { token, via: 'link' };
  saveSession(storage, session);
  return session;
}

export function saveSession(storage: KeyValueStore, session: Session): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function loadSession(storage: KeyValueStore): Session | undefined {
  const raw = storage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Session>;
    return typeof parsed.token === 'string' && (parsed.via === 'link' || parsed.via === 'oidc')
      ? { token: parsed.token, via: parsed.via }
      : undefined;
  } catch {
    return undefined;
  }
}

export function clearSession(storage: KeyValueStore): void {
  storage.removeItem(KEY);
}
