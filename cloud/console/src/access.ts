import type { PageName } from './router';
import type { Identity } from './session';

/**
 * What the console offers each role. The API is the authority (it refuses what a role may
 * not do, and scopes operators to their office); this only keeps the console from showing
 * buttons and pages that would be refused (docs/console.md, "Roles").
 */
const PAGES: Record<Identity['role'], PageName[]> = {
  admin: ['fleet', 'encodings', 'encoding', 'jobs', 'job-new', 'job', 'batches', 'batch', 'audit'],
  operator: ['fleet', 'jobs', 'job-new', 'job', 'batches', 'batch', 'audit'],
  auditor: ['fleet', 'jobs', 'job', 'batches', 'batch', 'audit'],
  agent: [],
};

export const mayOpen = (identity: Identity, page: PageName) =>
  page === 'home' || page === 'not-found' || PAGES[identity.role].includes(page);

/** Actions the pages show or hide, named for what they do. */
export const may = {
  addAgent: (identity: Identity) => identity.role === 'admin',
  revokeAgent: (identity: Identity) => identity.role === 'admin',
  pushEncoding: (identity: Identity) => identity.role === 'admin',
  manageReleases: (identity: Identity) => identity.role === 'admin',
  dryRun: (identity: Identity) => identity.role === 'admin',
  startJob: (identity: Identity) => identity.role === 'admin' || identity.role === 'operator',
  cancelJob: (identity: Identity) => identity.role === 'admin' || identity.role === 'operator',
  startBatch: (identity: Identity) => identity.role === 'admin' || identity.role === 'operator',
  exportAudit: (identity: Identity) => identity.role === 'admin' || identity.role === 'auditor',
};

/** The nav, in order: label and path of each page the role may open. */
export function navFor(identity: Identity): { page: PageName; label: string; path: string }[] {
  const all: { page: PageName; label: string; path: string }[] = [
    { page: 'fleet', label: 'Fleet', path: '/fleet' },
    { page: 'encodings', label: 'Encodings', path: '/encodings' },
    { page: 'jobs', label: 'Jobs', path: '/jobs' },
    { page: 'batches', label: 'Batches', path: '/batches' },
    { page: 'audit', label: 'Audit', path: '/audit' },
  ];
  return all.filter(({ page }) => mayOpen(identity, page));
}
