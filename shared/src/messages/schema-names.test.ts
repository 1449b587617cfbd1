import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { JobFieldSchema } from '../encoding/job-field-rules';
import {
  AgentAddedSchema,
  AgentListSchema,
  AgentRevokedSchema,
  AgentViewSchema,
  DiffHunkSchema,
  EncodingDiffSchema,
  EncodingListSchema,
  EncodingPushedSchema,
  EncodingVersionViewSchema,
  IdentityViewSchema,
  JobDetailSchema,
  JobListSchema,
  JobMovedSchema,
  JobViewSchema,
} from './api-schemas';
import {
  AuditCardProofSchema,
  AuditCheckpointSchema,
  AuditConsistencySchema,
  AuditEntryViewSchema,
  AuditPageSchema,
  AuditRepairedSchema,
  AuditVerifySchema,
} from './audit-api-schemas';
import { ConsoleSignInSchema } from './console-sign-in-schemas';
import { BatchEventSchema, JobEventSchema } from './live-events';

// The names the API description gives these schemas (/openapi.json's components,
// docs/cloud.md): clients generated from it and the docs refer to them by name.
const NAMED: [z.ZodType, string][] = [
  [JobFieldSchema, 'JobField'],
  [EncodingPushedSchema, 'EncodingPushed'],
  [EncodingListSchema, 'EncodingList'],
  [EncodingVersionViewSchema, 'EncodingVersion'],
  [DiffHunkSchema, 'DiffHunk'],
  [EncodingDiffSchema, 'EncodingDiff'],
  [JobViewSchema, 'JobView'],
  [JobDetailSchema, 'JobDetail'],
  [JobListSchema, 'JobList'],
  [JobMovedSchema, 'JobMoved'],
  [AgentViewSchema, 'AgentView'],
  [AgentListSchema, 'AgentList'],
  [AgentAddedSchema, 'AgentAdded'],
  [AgentRevokedSchema, 'AgentRevoked'],
  [IdentityViewSchema, 'IdentityView'],
  [AuditEntryViewSchema, 'AuditEntry'],
  [AuditPageSchema, 'AuditPage'],
  [AuditVerifySchema, 'AuditVerify'],
  [AuditCheckpointSchema, 'AuditCheckpoint'],
  [AuditConsistencySchema, 'AuditConsistency'],
  [AuditCardProofSchema, 'AuditCardProof'],
  [AuditRepairedSchema, 'AuditRepaired'],
  [ConsoleSignInSchema, 'ConsoleSignIn'],
  [JobEventSchema, 'JobEvent'],
  [BatchEventSchema, 'BatchEvent'],
];

describe('API schema names', () => {
  it('give each response schema its component name, each name once', () => {
    expect(NAMED.map(([schema]) => schema.meta()?.id)).toEqual(NAMED.map(([, name]) => name));
    expect(new Set(NAMED.map(([, name]) => name)).size).toBe(NAMED.length);
  });
});
