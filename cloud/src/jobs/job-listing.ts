import { CardfleetError, type JobState } from '@cardfleet/shared';
import { indexKeys, keys, TABLE } from '../storage/table-design';
import { decodeCursor, encodeCursor, type Item, type Table } from '../storage/table-port';

/**
 * Listing jobs a page at a time, straight from DynamoDB (Limit and a cursor from
 * LastEvaluatedKey, docs/cloud.md): the office's jobs index (GSI1 `OFFICE#<office>#JOBS`,
 * oldest first), office after office in name order for callers who see several. The
 * API's cursor is opaque base64url naming the office and the key the page stopped at,
 * so the next page starts right after the last job returned — no job twice, none left
 * out, however the pages are cut. Filters (agent, state) are applied to what each
 * query returns; a card serial is looked up in the results-by-card index first.
 */
export interface JobFilter {
  office?: string;
  agentId?: string;
  state?: JobState;
  /** Only these jobs (the results-by-card index). */
  jobIds?: readonly string[];
}

export interface JobPage<J> {
  jobs: J[];
  cursor?: string;
}

/** Items read per query while filters drop some (reads are charged by bytes returned). */
const FILTERED_READ = 25;

export async function listJobPage<
  J extends { jobId: string; agentId: string; state: JobState; office: string },
>(
  table: Table,
  fromItem: (item: Item) => J,
  filter: JobFilter,
  offices: readonly string[],
  page: { limit: number; cursor?: string },
): Promise<JobPage<J>> {
  const matches = (job: J) =>
    offices.includes(job.office) &&
    (!filter.office || job.office === filter.office) &&
    (!filter.agentId || job.agentId === filter.agentId) &&
    (!filter.state || job.state === filter.state);
  if (filter.jobIds) return byIds(table, fromItem, filter.jobIds, matches, page);

  const scope = [...(filter.office ? [filter.office] : offices)].filter((o) => offices.includes(o)).sort();
  const start = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  let index = start ? scope.indexOf(start.office ?? '') : 0;
  if (index < 0) throw new CardfleetError('REQUEST_INVALID', 'the cursor is not one this API handed out');
  let inner = start?.after || undefined;
  const filtered = Boolean(filter.agentId || filter.state);
  const jobs: J[] = [];
  while (index < scope.length) {
    const office = scope[index] as string;
    const want = page.limit - jobs.length;
    const got = await table.queryPage(indexKeys.jobsOfOffice(office), {
      index: 'GSI1',
      limit: filtered ? Math.max(want, FILTERED_READ) : want,
      ...(inner ? { cursor: inner } : {}),
    });
    for (const [n, item] of got.items.entries()) {
      const job = fromItem(item);
      if (!matches(job)) continue;
      jobs.push(job);
      if (jobs.length < page.limit) continue;
      // Full: the next page starts after this job (or where the query stopped).
      const after = n < got.items.length - 1 ? encodeCursor(indexKey(item)) : got.cursor;
      if (after) return { jobs, cursor: pageCursor(office, after) };
      const next = scope[index + 1];
      return next === undefined ? { jobs } : { jobs, cursor: pageCursor(next, '') };
    }
    if (got.cursor) inner = got.cursor;
    else {
      index++;
      inner = undefined;
    }
  }
  return { jobs };
}

function pageCursor(office: string, after: string): string {
  return encodeCursor({ office, after });
}

/** The key an item is found by in GSI1 (what DynamoDB's LastEvaluatedKey holds there). */
function indexKey(item: Item): Record<string, string> {
  const names = [TABLE.partitionKey, TABLE.sortKey, TABLE.gsi1.partitionKey, TABLE.gsi1.sortKey];
  return Object.fromEntries(names.map((name) => [name, String(item[name])]));
}

/** Jobs of a card: few, read one by one; the cursor counts the ids already passed. */
async function byIds<J extends { jobId: string }>(
  table: Table,
  fromItem: (item: Item) => J,
  jobIds: readonly string[],
  matches: (job: J) => boolean,
  page: { limit: number; cursor?: string },
): Promise<JobPage<J>> {
  const from = page.cursor === undefined ? 0 : Number(decodeCursor(page.cursor).passed);
  if (!Number.isInteger(from) || from < 0)
    throw new CardfleetError('REQUEST_INVALID', 'the cursor is not one this API handed out');
  const jobs: J[] = [];
  let at = from;
  for (; at < jobIds.length && jobs.length < page.limit; at++) {
    const item = await table.get(keys.job(jobIds[at] as string));
    if (!item) continue;
    const job = fromItem(item);
    if (matches(job)) jobs.push(job);
  }
  return at < jobIds.length ? { jobs, cursor: encodeCursor({ passed: String(at) }) } : { jobs };
}
