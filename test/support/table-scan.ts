import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { uncataloguedItems } from '../../cloud/src/storage/table-key-patterns';
import type { Item } from '../../cloud/src/storage/table-port';
import type { startDynalite } from './dynalite';
import { AGENT, type startSystem } from './e2e-system';

type System = Awaited<ReturnType<typeof startSystem>>;

/** Every item of the test table, read with Scan (tests only: the product never scans). */
export async function scanTable(db: Awaited<ReturnType<typeof startDynalite>>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await db.client.send(
      new ScanCommand({ TableName: db.table.name, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of out.Items ?? [])
      items.push(
        Object.fromEntries(
          Object.entries(item).map(([k, v]) => [k, v.N !== undefined ? Number(v.N) : (v.S ?? '')]),
        ),
      );
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * What a whole-chain run leaves in the table besides a personalisation: an agent not yet
 * enrolled (its enrolment code), a job still queued (its open-job marker) and a result
 * too large for one MQTT message (its inbox parts), and an audit checkpoint.
 */
export async function writeTheRarerItems(system: System): Promise<void> {
  const { api, cloud } = system;
  await api('POST', '/v1/agents', cloud.tokens.admin, { id: 'agent-hamburg-1', office: 'hamburg' });
  await api('POST', '/v1/jobs', cloud.tokens.operatorBerlin, { agentId: AGENT, encodingId: 'read-version' });
  const script = Array.from({ length: 1500 }, () => 'RAW:00CA018202').join('\n');
  const files = {
    'encoding.ini': 'ApplicationList=Long\n[Long]\nApduFile=long.apdu\n',
    'long.apdu': `# GET DATA (version), many times: a result larger than one MQTT message\n${script}\n`,
  };
  await api('POST', '/v1/encodings', cloud.tokens.admin, {
    id: 'long-script',
    files: Object.entries(files).map(([name, text]) => ({
      name,
      base64: Buffer.from(text).toString('base64'),
    })),
  });
  const { jobId } = await api<{ jobId: string }>('POST', '/v1/jobs', cloud.tokens.operatorBerlin, {
    agentId: AGENT,
    encodingId: 'long-script',
  });
  await publishJob(system.publication(), jobId);
  await system.jobIn(jobId, 'SUCCEEDED');
  // A signed audit checkpoint over everything above (the dispatcher's tick in a deployment).
  await api('POST', '/v1/audit/checkpoint', cloud.tokens.admin);
}

/**
 * The table holds only catalogued items (cloud/src/storage/table-design.ts, patterns
 * anchored at both ends), and the run produced every catalogued kind.
 */
export async function expectOnlyCataloguedItems(system: System): Promise<void> {
  const items = await scanTable(system.cloud.db);
  const { uncatalogued, unmatched } = uncataloguedItems(items);
  expect(uncatalogued.map((i) => `${i.PK} / ${i.SK} / ${i.GSI1PK ?? ''} / ${i.GSI1SK ?? ''}`)).toEqual([]);
  expect(unmatched).toEqual([]);
}
