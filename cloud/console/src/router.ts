import { useEffect, useState } from 'preact/hooks';

/**
 * Paths under /console/ (the server answers index.html for each, console-routes.ts), so
 * every page has an address an admin can bookmark or paste into a ticket.
 */
export type PageName =
  | 'home'
  | 'fleet'
  | 'encodings'
  | 'encoding'
  | 'jobs'
  | 'job-new'
  | 'job'
  | 'batches'
  | 'batch'
  | 'audit'
  | 'not-found';

export interface Route {
  page: PageName;
  params: Record<string, string>;
  search: URLSearchParams;
}

export const BASE = '/console';

const PATTERNS: [RegExp, PageName, string[]][] = [
  [/^\/?$/, 'home', []],
  [/^\/fleet\/?$/, 'fleet', []],
  [/^\/encodings\/?$/, 'encodings', []],
  [/^\/encodings\/([^/]+)\/?$/, 'encoding', ['id']],
  [/^\/jobs\/?$/, 'jobs', []],
  [/^\/jobs\/new\/?$/, 'job-new', []],
  [/^\/jobs\/([^/]+)\/?$/, 'job', ['id']],
  [/^\/batches\/?$/, 'batches', []],
  [/^\/batches\/([^/]+)\/?$/, 'batch', ['id']],
  [/^\/audit\/?$/, 'audit', []],
];

export function parseRoute(pathname: string, search = ''): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  for (const [pattern, page, names] of PATTERNS) {
    const match = pattern.exec(rest);
    if (match)
      return {
        page,
        params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')])),
        search: new URLSearchParams(search),
      };
  }
  return { page: 'not-found', params: {}, search: new URLSearchParams(search) };
}

/** A console address: `href('/jobs/' + id)` → `/console/jobs/<id>`. */
export const href = (path: string) => `${BASE}${path.startsWith('/') ? path : `/${path}`}`;

const CHANGE = 'cardfleet:navigate';

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = path.startsWith(BASE) ? path : href(path);
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  window.dispatchEvent(new Event(CHANGE));
}

export function useRoute(): Route {
  const read = () => parseRoute(window.location.pathname, window.location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => {
      setRoute(read());
      // A new page: move focus to its heading, as a screen reader user expects after a link.
      window.requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    };
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return route;
}
