/**
 * One DynamoDB table for everything (single-table design). Keys and indexes are
 * defined here once; sst.config.ts and the local table creation use the same
 * constants.
 *
 * Access patterns:
 *  - encoding by id, latest version:   PK = ENC#<id>          SK = LATEST
 *  - encoding version (immutable):     PK = ENC#<id>          SK = V#<000001>
 *  - list encodings:                   GSI1 PK = ENCODINGS    GSI1 SK = <id>
 *  - agent by id:                      PK = AGENT#<id>        SK = AGENT
 *  - agent by enrolment code:         PK = ENROLCODE#<sha256(code)>  SK = CODE
 *  - agents of an office:              GSI1 PK = OFFICE#<office>#AGENTS  GSI1 SK = <id>
 *  - audit entry n of a chain:         PK = AUDIT#<chain>     SK = SEQ#<000000000001>
 *  - audit chain head:                 PK = AUDIT#<chain>     SK = HEAD
 *  - audit by office and time:         GSI1 PK = OFFICE#<office>#AUDIT  GSI1 SK = <iso time>#<seq>
 *  - open jobs (dispatch, timeouts):   PK = OPENJOBS          SK = <jobId>   (marker; the job item decides)
 * Only single-item conditional writes are used (dynalite has no TransactWriteItems):
 * every write that must not happen twice is a put with attribute_not_exists(PK).
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
} as const;

export const keys = {
  encodingLatest: (id: string) => ({ PK: `ENC#${id}`, SK: 'LATEST' }),
  encodingVersion: (id: string, version: number) => ({
    PK: `ENC#${id}`,
    SK: `V#${String(version).padStart(6, '0')}`,
  }),
  agent: (id: string) => ({ PK: `AGENT#${id}`, SK: 'AGENT' }),
  auditEntry: (chain: string, seq: number) => ({
    PK: `AUDIT#${chain}`,
    SK: `SEQ#${String(seq).padStart(12, '0')}`,
  }),
  auditHead: (chain: string) => ({ PK: `AUDIT#${chain}`, SK: 'HEAD' }),
} as const;
