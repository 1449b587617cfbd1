import { AGENTS, AUDIT_CHECKPOINTS, AUDIT_STATE, ENCODINGS, OPEN_JOBS, TABLE } from './table-design';
import type { Item } from './table-port';

/** One item kind of the catalogue above, as patterns anchored at both ends. */
export interface KeyPattern {
  item: string;
  pk: RegExp;
  sk: RegExp;
  /** The item's GSI1 keys, when it carries them (sparse: an item may leave them out). */
  gsi1?: { pk: RegExp; sk: RegExp };
  /** Kinds an ordinary run never writes (tampering, repair): the tests that write them. */
  coveredBy?: string;
}

const exactly = (source: string) => new RegExp(`^(?:${source})$`);
// Agent, office and encoding ids: shared/src/messages/api-schemas.ts ID_PATTERN.
const ID = '[A-Za-z0-9][A-Za-z0-9_.-]{0,63}';
const JOB_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SHA256 = '[0-9a-f]{64}';
const TIME = '[^#]+';
const ATTEMPT = '[1-9][0-9]*';
const covered = 'test/cloud/releases.test.ts (written when admins approve and release: docs/releases.md)';
const released = (item: string, pk: string, sk: string, gsi1?: KeyPattern['gsi1']): KeyPattern =>
  gsi1 ? { ...released(item, pk, sk), gsi1 } : { item, pk: exactly(pk), sk: exactly(sk), coveredBy: covered };
const RELEASES_GSI1 = { pk: exactly('RELEASES'), sk: exactly(`${ID}#${TIME}#${JOB_ID}`) };

export const KEY_PATTERNS: readonly KeyPattern[] = [
  {
    item: 'encoding latest',
    pk: exactly(`ENC#${ID}`),
    sk: exactly('LATEST'),
    gsi1: { pk: exactly(ENCODINGS), sk: exactly(ID) },
  },
  { item: 'encoding version', pk: exactly(`ENC#${ID}`), sk: exactly('V#[0-9]{6,}') },
  released('version lifecycle', `ENC#${ID}`, 'LIFE#[0-9]{6,}'),
  released('office release', `ENC#${ID}`, `OFFICE#(?:${ID}|\\*)`),
  released('release', `RELEASE#${JOB_ID}`, 'RELEASE', RELEASES_GSI1),
  {
    item: 'agent',
    pk: exactly(`AGENT#${ID}`),
    sk: exactly('AGENT'),
    gsi1: { pk: exactly(AGENTS), sk: exactly(`${ID}#${ID}`) },
  },
  { item: 'agent presence', pk: exactly(`AGENT#${ID}`), sk: exactly('PRESENCE') },
  { item: 'enrolment code', pk: exactly(`ENROLCODE#${SHA256}`), sk: exactly('CODE') },
  { item: 'agent job sequence', pk: exactly(`AGENTSEQ#${ID}`), sk: exactly('SEQ') },
  {
    item: 'agent rejection budget',
    pk: exactly(`AGENTRATE#${ID}`),
    sk: exactly('REJECT#[0-9T:-]+Z'),
    coveredBy:
      'cloud/src/results/rejection-reports.test.ts (written only when an agent reports an envelope the cloud did not send it)',
  },
  {
    item: 'job',
    pk: exactly(`JOB#${JOB_ID}`),
    sk: exactly('JOB'),
    gsi1: { pk: exactly(`OFFICE#${ID}#JOBS`), sk: exactly(`${TIME}#${JOB_ID}`) },
  },
  { item: 'open job marker', pk: exactly(OPEN_JOBS), sk: exactly(JOB_ID) },
  { item: 'published envelope', pk: exactly(`ENVELOPE#${SHA256}`), sk: exactly('ENVELOPE') },
  { item: 'result part', pk: exactly(`RESULT#${JOB_ID}#${ATTEMPT}`), sk: exactly('PART#[0-9]{4,}') },
  {
    item: 'result index',
    pk: exactly(`RESULT#${JOB_ID}#${ATTEMPT}`),
    sk: exactly('META'),
    gsi1: { pk: exactly('CARD#.+'), sk: exactly(`${TIME}#${JOB_ID}`) },
  },
  {
    item: 'result message part',
    pk: exactly(`INBOX#[^#]+#.+#${SHA256}`),
    sk: exactly('PART#[0-9]{4,}'),
  },
  {
    item: 'audit entry',
    pk: exactly('AUDIT#[0-9]{2,}'),
    sk: exactly('SEQ#[0-9]{12}'),
    // Office `*`: entries that belong to no office (an encoding push by an admin).
    gsi1: { pk: exactly(`OFFICE#(?:${ID}|\\*)#AUDIT`), sk: exactly(`${TIME}#[0-9]{2,}#[0-9]{12}`) },
  },
  {
    item: 'audit card pointer',
    pk: exactly('AUDIT#[0-9]{2,}'),
    sk: exactly('CARD#[0-9]{12}'),
    gsi1: { pk: exactly('AUDITCARD#.+'), sk: exactly(`${TIME}#[0-9]{2,}#[0-9]{12}`) },
    // Written for a result that names its card; the whole chain writes it once the agent
    // records the card serial on every result.
    coveredBy:
      'cloud/src/storage/table-design.test.ts and cloud/src/cli/audit-repair.test.ts (a result naming its card)',
  },
  { item: 'audit checkpoint', pk: exactly(AUDIT_CHECKPOINTS), sk: exactly('CKPT#[0-9]{12}') },
  {
    item: 'audit alert',
    pk: exactly(AUDIT_STATE),
    sk: exactly('ALERT#(?:[0-9]{2,}|LOG)'),
    coveredBy:
      'cloud/src/cli/audit-repair.test.ts and test/cloud/audit-log.test.ts (written only on tampering)',
  },
  {
    item: 'audit quarantine',
    pk: exactly(AUDIT_STATE),
    sk: exactly('QUAR#[0-9]{2,}#[0-9]{12}'),
    coveredBy:
      'cloud/src/cli/audit-repair.test.ts and test/cloud/audit-log.test.ts (written only by a repair)',
  },
  { item: 'audit MAC key', pk: exactly('AUDITMAC'), sk: exactly('KEY') },
  { item: 'audit dedupe key', pk: exactly('AUDITKEY#.+'), sk: exactly('KEY') },
  ...(['BATCH', 'ROWS', 'CARD#[0-9]{6,}'] as const).map((sk) => ({
    item: `batch ${sk === 'BATCH' ? 'item' : sk === 'ROWS' ? 'rows' : 'card'}`,
    pk: exactly(`BATCH#${JOB_ID}`),
    sk: exactly(sk),
    coveredBy: 'test/e2e/batch-cards.test.ts (written only by a batch)',
  })),
];

/**
 * Checks items (a whole table, in a test) against the catalogue: the items no pattern
 * describes — PK and SK, and the GSI1 keys when the item has any — and the item kinds
 * no item matched.
 */
export function uncataloguedItems(items: readonly Item[]): { uncatalogued: Item[]; unmatched: string[] } {
  const seen = new Set<string>();
  const uncatalogued = items.filter((item) => {
    const pattern = KEY_PATTERNS.find((p) => matches(p, item));
    if (pattern) seen.add(pattern.item);
    return !pattern;
  });
  return {
    uncatalogued,
    unmatched: KEY_PATTERNS.filter((p) => !p.coveredBy && !seen.has(p.item)).map((p) => p.item),
  };
}

function matches(pattern: KeyPattern, item: Item): boolean {
  const text = (name: string) => (typeof item[name] === 'string' ? item[name] : undefined);
  const [pk, sk] = [text(TABLE.partitionKey), text(TABLE.sortKey)];
  if (pk === undefined || sk === undefined || !pattern.pk.test(pk) || !pattern.sk.test(sk)) return false;
  const [gpk, gsk] = [item[TABLE.gsi1.partitionKey], item[TABLE.gsi1.sortKey]];
  if (gpk === undefined && gsk === undefined) return true;
  return (
    pattern.gsi1 !== undefined &&
    typeof gpk === 'string' &&
    typeof gsk === 'string' &&
    pattern.gsi1.pk.test(gpk) &&
    pattern.gsi1.sk.test(gsk)
  );
}
