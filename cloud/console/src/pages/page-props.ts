import type { Route } from '../router';
import type { Identity } from '../session';

/** What every page gets: who is signed in (for what to offer) and its route (params, query). */
export interface PageProps {
  identity: Identity;
  route: Route;
}
