import { tableContract } from '../../cloud/src/storage/table-contract';
import { startDynalite } from '../support/dynalite';

// The same contract as MemoryTable's (cloud/src/storage/memory-table.test.ts), against
// the DynamoDB API as dynalite serves it.
tableContract('DynamoTable on dynalite', async () => {
  const db = await startDynalite();
  return { table: db.table, close: db.close };
});
