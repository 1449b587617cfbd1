/**
 * One DynamoDB table for everything (single-table design). Every key of every item
 * kind is built here and nowhere else; sst.config.ts and the local table creation use
 * the same constants. Stores never parse a key back apart: what they need to read
 * (a job id, an attempt, an agent id) is an attribute of the item: `agentId` on an
 * agent, `encodingId` on an encoding's LATEST item, `jobId` on an open-job marker,
 * `jobId` and `attempt` on a result's META item and on an envelope record.
 *
 * Items (owner store in brackets):
 *  - encoding, latest version:   PK = ENC#<id>                  SK = LATEST          [EncodingStore]
 *      listed in GSI1:           GSI1PK = ENCODINGS             GSI1SK = <id>
 *  - encoding version:           PK = ENC#<id>                  SK = V#<000001>      [EncodingStore]
 *  - version lifecycle, office release: ENC#<id> / LIFE#<000001>, OFFICE#<office|*>; release: RELEASE#<id> /
 *    RELEASE, GSI1 RELEASES / <encodingId>#<at>#<id>   [ReleaseStore]
 *  - agent:                      PK = AGENT#<id>                SK = AGENT           [AgentStore]
 *      listed in GSI1:           GSI1PK = AGENTS                GSI1SK = <office>#<id>
 *      (one partition lists every agent; an office's agents are those whose GSI1SK
 *      begins with `<office>#` — ids and offices contain no `#`, api-schemas.ts ID_PATTERN)
 *  - agent presence:             PK = AGENT#<id>                SK = PRESENCE        [AgentStore]
 *  - enrolment code:             PK = ENROLCODE#<sha256(code)>  SK = CODE            [AgentStore]
 *      carries `expiresAt` (epoch seconds), the table's TTL attribute: expired codes go
 *  - agent job sequence:         PK = AGENTSEQ#<agentId>        SK = SEQ             [EnvelopeRecords]
 *  - agent rejection budget:     PK = AGENTRATE#<agentId>       SK = REJECT#<minute> [RejectionReports]
 *      a counter per agent and minute; carries `expiresAt` (TTL), so old windows go
 *  - job:                        PK = JOB#<jobId>               SK = JOB             [JobStore]
 *      jobs of an office:        GSI1PK = OFFICE#<office>#JOBS  GSI1SK = <createdAt>#<jobId>
 *  - open job marker:            PK = OPENJOBS                  SK = <jobId>         [JobStore]
 *      (dispatch and the timeout sweep read these, not every job; the job item decides)
 *  - published envelope:         PK = ENVELOPE#<sha256>         SK = ENVELOPE        [EnvelopeRecords]
 *  - result part:                PK = RESULT#<jobId>#<attempt>  SK = PART#<0000>     [ResultStore]
 *  - result index (META):        PK = RESULT#<jobId>#<attempt>  SK = META            [ResultStore]
 *      results of a card:        GSI1PK = CARD#<serial>         GSI1SK = <finishedAt>#<jobId>
 *  - result message part (inbox): PK = INBOX#<agentId>#<key>#<sha256>  SK = PART#<0000>  [ResultStore]
 *  - audit entry n of a shard:   PK = AUDIT#<shard 00..>         SK = SEQ#<000000000001>  [AuditLog]
 *      audit of an office:       GSI1PK = OFFICE#<office>#AUDIT GSI1SK = <at>#<shard>#<seq 12 digits>
 *      (office `*` for entries of no office, such as an encoding push)
 *  - audit card pointer:         PK = AUDIT#<shard>             SK = CARD#<seq 12 digits> [AuditLog]
 *      audit of a card:          GSI1PK = AUDITCARD#<serial>    GSI1SK = <at>#<shard>#<seq 12 digits>
 *  - audit checkpoint k:         PK = AUDITCKPT                 SK = CKPT#<k 12 digits>  [AuditLog]
 *  - audit alert (tampering):    PK = AUDITSTATE                SK = ALERT#<shard|LOG>   [AuditLog]
 *  - audit quarantine (repair):  PK = AUDITSTATE                SK = QUAR#<shard>#<from 12 digits>  [AuditLog]
 *  - audit MAC key (wrapped):    PK = AUDITMAC                  SK = KEY                 [AuditLog]
 *  - audit dedupe key:           PK = AUDITKEY#<dedupeKey>      SK = KEY             [AuditLog]
 *  - batch:                      PK = BATCH#<batchId>           SK = BATCH           [BatchStore]
 *  - batch rows (CSV, sealed):   PK = BATCH#<batchId>           SK = ROWS            [BatchStore]
 *  - batch card n:               PK = BATCH#<batchId>           SK = CARD#<000001>   [BatchStore]
 * Only single-item conditional writes are used (dynalite has no TransactWriteItems):
 * every write that must not happen twice is a put with attribute_not_exists(PK).
 * KEY_PATTERNS (table-key-patterns.ts) describes the same catalogue as anchored patterns, so a test can
 * check that every item a flow writes is one of these kinds.
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
} as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const OPEN_JOBS = 'OPENJOBS';
export const ENCODINGS = 'ENCODINGS';
export const AGENTS = 'AGENTS';
const resultPartition = (jobId: string, attempt: number) => `RESULT#${jobId}#${attempt}`;
const inboxPartition = (agentId: string, key: string, sha256: string) => `INBOX#${agentId}#${key}#${sha256}`;
const auditShard = (shard: number) => `AUDIT#${pad(shard, 2)}`;
export const AUDIT_CHECKPOINTS = 'AUDITCKPT';
export const AUDIT_STATE = 'AUDITSTATE';
const jobsOfOffice = (office: string) => `OFFICE#${office}#JOBS`;
const auditOfOffice = (office: string) => `OFFICE#${office}#AUDIT`;
const resultsOfCard = (serial: string) => `CARD#${serial}`;
const auditOfCard = (serial: string) => `AUDITCARD#${serial}`;

/** Primary keys (PK, SK) of every item kind, and the partitions that are queried. */
export const keys = {
  encodingLatest: (id: string) => ({ PK: `ENC#${id}`, SK: 'LATEST' }),
  encodingVersion: (id: string, version: number) => ({ PK: `ENC#${id}`, SK: `V#${pad(version, 6)}` }),
  versionLifecycle: (id: string, version: number) => ({ PK: `ENC#${id}`, SK: `LIFE#${pad(version, 6)}` }),
  officeRelease: (id: string, office: string) => ({ PK: `ENC#${id}`, SK: `OFFICE#${office}` }),
  officeReleasePrefix: 'OFFICE#', // in the partition `encodingLatest(id).PK`
  release: (releaseId: string) => ({ PK: `RELEASE#${releaseId}`, SK: 'RELEASE' }),
  agent: (id: string) => ({ PK: `AGENT#${id}`, SK: 'AGENT' }),
  agentPresence: (id: string) => ({ PK: `AGENT#${id}`, SK: 'PRESENCE' }),
  enrolmentCode: (codeSha256: string) => ({ PK: `ENROLCODE#${codeSha256}`, SK: 'CODE' }),
  agentSeq: (agentId: string) => ({ PK: `AGENTSEQ#${agentId}`, SK: 'SEQ' }),
  /** `minute`: the window's start, ISO-8601 to the minute (`2026-12-06T03:19Z`). */
  agentRejectionBudget: (agentId: string, minute: string) => ({
    PK: `AGENTRATE#${agentId}`,
    SK: `REJECT#${minute}`,
  }),
  job: (jobId: string) => ({ PK: `JOB#${jobId}`, SK: 'JOB' }),
  openJob: (jobId: string) => ({ PK: OPEN_JOBS, SK: jobId }),
  /** The partition of the open-job markers. */
  openJobs: OPEN_JOBS,
  envelope: (sha256: string) => ({ PK: `ENVELOPE#${sha256}`, SK: 'ENVELOPE' }),
  /** The partition of one result: its parts and its META item. */
  result: resultPartition,
  resultPart: (jobId: string, attempt: number, index: number) => ({
    PK: resultPartition(jobId, attempt),
    SK: `PART#${pad(index, 4)}`,
  }),
  resultMeta: (jobId: string, attempt: number) => ({ PK: resultPartition(jobId, attempt), SK: 'META' }),
  /** Sort-key prefix of the parts of a result (and of an inbox message). */
  partPrefix: 'PART#',
  /** The partition of the parts of one result message (shared/src/messages/result-parts.ts). */
  inbox: inboxPartition,
  inboxPart: (agentId: string, key: string, sha256: string, index: number) => ({
    PK: inboxPartition(agentId, key, sha256),
    SK: `PART#${pad(index, 4)}`,
  }),
  /** The partition of an audit shard: its entries and their card pointers. */
  auditShard,
  auditEntry: (shard: number, seq: number) => ({ PK: auditShard(shard), SK: `SEQ#${pad(seq, 12)}` }),
  /** Sort-key prefix of the entries of a shard. */
  auditEntryPrefix: 'SEQ#',
  auditCardPointer: (shard: number, seq: number) => ({ PK: auditShard(shard), SK: `CARD#${pad(seq, 12)}` }),
  /** The partition of the signed checkpoints, in order. */
  auditCheckpoints: AUDIT_CHECKPOINTS,
  auditCheckpoint: (index: number) => ({ PK: AUDIT_CHECKPOINTS, SK: `CKPT#${pad(index, 12)}` }),
  /** The partition of alerts and quarantines (few items: read whole). */
  auditState: AUDIT_STATE,
  auditAlert: (shard: number | 'LOG') => ({
    PK: AUDIT_STATE,
    SK: `ALERT#${shard === 'LOG' ? shard : pad(shard, 2)}`,
  }),
  auditQuarantine: (shard: number, from: number) => ({
    PK: AUDIT_STATE,
    SK: `QUAR#${pad(shard, 2)}#${pad(from, 12)}`,
  }),
  auditMacKey: { PK: 'AUDITMAC', SK: 'KEY' },
  auditKey: (dedupeKey: string) => ({ PK: `AUDITKEY#${dedupeKey}`, SK: 'KEY' }),
  /** The partition of a batch: the batch, its rows and one item per card asked for (docs/batches.md). */
  batchPartition: (batchId: string) => `BATCH#${batchId}`,
  batch: (batchId: string) => ({ PK: `BATCH#${batchId}`, SK: 'BATCH' }),
  batchRows: (batchId: string) => ({ PK: `BATCH#${batchId}`, SK: 'ROWS' }),
  batchCard: (batchId: string, index: number) => ({ PK: `BATCH#${batchId}`, SK: `CARD#${pad(index, 6)}` }),
  /** Sort-key prefix of a batch's cards. */
  batchCardPrefix: 'CARD#',
} as const;

/** GSI1 entries (`…Entry`, written on the item) and the GSI1 partitions that are queried. */
export const indexKeys = {
  encodings: ENCODINGS,
  encodingsEntry: (id: string) => ({ GSI1PK: ENCODINGS, GSI1SK: id }),
  releases: 'RELEASES', // every release; an encoding's by GSI1SK prefix `<encodingId>#`
  releasesEntry: (e: string, at: string, id: string) => ({ GSI1PK: 'RELEASES', GSI1SK: `${e}#${at}#${id}` }),
  /** Every agent; `agentsOfOffice` narrows it to an office by GSI1SK prefix. */
  agents: AGENTS,
  agentsEntry: (office: string, id: string) => ({ GSI1PK: AGENTS, GSI1SK: `${office}#${id}` }),
  agentsOfOffice: (office: string) => `${office}#`,
  jobsOfOffice,
  jobsOfOfficeEntry: (office: string, createdAt: string, jobId: string) => ({
    GSI1PK: jobsOfOffice(office),
    GSI1SK: `${createdAt}#${jobId}`,
  }),
  auditOfOffice,
  auditOfOfficeEntry: (office: string, at: string, shard: number, seq: number) => ({
    GSI1PK: auditOfOffice(office),
    GSI1SK: `${at}#${pad(shard, 2)}#${pad(seq, 12)}`,
  }),
  auditOfCard,
  auditOfCardEntry: (serial: string, at: string, shard: number, seq: number) => ({
    GSI1PK: auditOfCard(serial),
    GSI1SK: `${at}#${pad(shard, 2)}#${pad(seq, 12)}`,
  }),
  resultsOfCard,
  resultsOfCardEntry: (serial: string, finishedAt: string, jobId: string) => ({
    GSI1PK: resultsOfCard(serial),
    GSI1SK: `${finishedAt}#${jobId}`,
  }),
} as const;
