import {
  AddAgentSchema,
  AuditQuerySchema,
  CreateJobSchema,
  EnrolAgentSchema,
  ErrorBodySchema,
  JobListQuerySchema,
  PushEncodingSchema,
} from '@cardfleet/shared';
import { z } from 'zod';

/**
 * The OpenAPI 3.1 document served at /openapi.json, built from the same zod schemas
 * the routes validate with (one source of truth).
 */

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});
const errors = Object.fromEntries(
  [
    ['400', 'invalid input'],
    ['401', 'missing or invalid bearer token'],
    ['403', 'the role or office may not do this'],
    ['404', 'not found'],
    ['409', 'conflicts with the current state'],
    ['413', 'request too large'],
  ].map(([status, description]) => [status, { description, content: json(ErrorBodySchema) }]),
);
const ok = (description: string) => ({ description, content: { 'application/json': { schema: {} } } });
const queryOf = (schema: z.ZodObject) =>
  Object.keys(schema.shape).map((name) => ({
    name,
    in: 'query',
    required: false,
    schema: { type: 'string' },
  }));
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'cardfleet API', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': { get: { security: [], responses: { '200': ok('alive') } } },
      '/v1/encodings': {
        post: {
          summary: 'push an encoding bundle (admin)',
          requestBody: { content: json(PushEncodingSchema) },
          responses: { '201': ok('id, version, sha256'), ...errors },
        },
        get: { summary: 'list encodings', responses: { '200': ok('encodings'), ...errors } },
      },
      '/v1/encodings/{id}': {
        get: {
          parameters: [idParam('id')],
          responses: { '200': ok('latest version, secrets redacted'), ...errors },
        },
      },
      '/v1/encodings/{id}/versions/{version}': {
        get: {
          parameters: [idParam('id'), idParam('version')],
          responses: { '200': ok('that version'), ...errors },
        },
      },
      '/v1/agents': {
        post: {
          summary: 'add an agent (admin): returns a one-time enrolment code',
          requestBody: { content: json(AddAgentSchema) },
          responses: { '201': ok('agent'), ...errors },
        },
        get: {
          summary: 'list agents (operators: their office)',
          responses: { '200': ok('agents'), ...errors },
        },
      },
      '/v1/agents/{id}/enrol': {
        post: {
          security: [],
          parameters: [idParam('id')],
          requestBody: { content: json(EnrolAgentSchema) },
          responses: { '200': ok('enrolled'), ...errors },
        },
      },
      '/v1/enrol': {
        post: {
          summary: 'enrol with the one-time code alone (it names its agent)',
          security: [],
          requestBody: { content: json(EnrolAgentSchema) },
          responses: { '200': ok('enrolled'), ...errors },
        },
      },
      '/v1/agents/{id}/revoke': {
        post: {
          parameters: [idParam('id')],
          responses: {
            '200': ok('the agent, REVOKED; endedJobs: its open jobs, now CANCELED (AGENT_REVOKED)'),
            ...errors,
          },
        },
      },
      '/v1/jobs': {
        post: {
          summary: 'run an encoding on an agent',
          requestBody: { content: json(CreateJobSchema) },
          responses: { '202': ok('jobId, state'), ...errors },
        },
        get: { parameters: queryOf(JobListQuerySchema), responses: { '200': ok('jobs'), ...errors } },
      },
      '/v1/jobs/{id}': {
        get: { parameters: [idParam('id')], responses: { '200': ok('state, history, result'), ...errors } },
      },
      '/v1/jobs/{id}/cancel': {
        post: { parameters: [idParam('id')], responses: { '200': ok('canceled'), ...errors } },
      },
      '/v1/audit': {
        get: {
          parameters: queryOf(AuditQuerySchema),
          responses: { '200': ok('entries and nextCursor'), ...errors },
        },
      },
      '/v1/audit/export': {
        get: { parameters: queryOf(AuditQuerySchema), responses: { '200': ok('CSV or JSON'), ...errors } },
      },
      '/v1/audit/verify': {
        get: {
          responses: {
            '200': ok(
              '{ ok, entries, checkpoint, uncovered, problems, quarantined, alerts } (?from=k: incremental)',
            ),
            ...errors,
          },
        },
      },
      '/v1/audit/checkpoint': {
        get: { responses: { '200': ok('the newest signed checkpoint (RFC 6962 tree head)'), ...errors } },
        post: { responses: { '200': ok('a checkpoint made now (admin)'), ...errors } },
      },
      '/v1/audit/consistency': {
        get: {
          responses: { '200': ok('consistency proof from checkpoint ?from=k to the newest'), ...errors },
        },
      },
      '/v1/audit/prove': {
        get: { responses: { '200': ok("a card's entries (?card=) with inclusion proofs"), ...errors } },
      },
      '/v1/audit/repair': {
        post: { responses: { '200': ok('the damaged range quarantined (admin)'), ...errors } },
      },
    },
  };
}
