import { CardfleetError, type Logger, recordLogger } from '@cardfleet/shared';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { CryptoKey, JWK } from 'jose';
import type { RevocationDeps } from '../agents/agent-revocation';
import type { AgentStore } from '../agents/agent-store';
import type { AuditLog } from '../audit/audit-log';
import type { TokenVerifier } from '../auth/identity';
import type { BatchDeps } from '../batches/batch-service';
import type { Signer } from '../crypto/signer';
import type { EncodingStore } from '../encodings/encoding-store';
import type { JobStore } from '../jobs/job-store';
import { type CloudMetrics, cloudMetrics } from '../observability/cloud-metrics';
import { errorAnswer, errorBody, notFound } from './api-error';
import { type ConsoleDeps, consoleRoutes } from './console-routes';
import type { App, Env } from './context';
import { docsRoutes } from './docs-page';
import { healthRoutes, type ReadinessChecks } from './health-routes';
import { defaultHook, fromHttpException, json, openApiDocument } from './openapi';
import { requestLog } from './request-log';
import { agentRoutes } from './routes/agents';
import { auditRoutes } from './routes/audit';
import { batchRoutes } from './routes/batches';
import { encodingRoutes } from './routes/encodings';
import { type CardIndex, type JobQueuedHook, jobRoutes, type ResultReader } from './routes/jobs';
import { type LiveDeps, liveRoutes } from './routes/live-events';
import { meRoutes } from './routes/me';
import { type ReleaseDeps, releaseRoutes } from './routes/releases';
import { wellKnownRoutes } from './routes/well-known';

/**
 * The HTTP API (Hono). `createApp(deps)` builds it from ports only, so the same app
 * runs on Node (tests, `npm start`) and behind the Lambda adapter.
 */
export interface AppDeps {
  tokens: TokenVerifier;
  encodings: EncodingStore;
  agents: AgentStore;
  jobs: JobStore;
  results: ResultReader;
  jobsForCard: CardIndex;
  /** Earlier signing keys still served while agents move to the new one (rotation by kid). */
  previousKeys?: () => Promise<JWK[]>;
  /** Keys published ahead of a rotation, so agents pin them before they sign anything. */
  nextKeys?: () => Promise<JWK[]>;
  audit: AuditLog;
  /** Approval, releases and what an office may run (docs/releases.md). */
  releases?: ReleaseDeps;
  signer: Signer & { publicKey: CryptoKey };
  /** Publishes a job as soon as it is QUEUED (when the cloud has a publisher). */
  onJobQueued?: JobQueuedHook;
  /** After a revocation is stored: the broker disconnects the agent (agents/agent-revocation.ts). */
  onAgentRevoked?: RevocationDeps['onAgentRevoked'];
  /** Where internal errors are also written as one plain line each (tests; default: none). */
  log?: (line: string) => void;
  /** Structured logs: one line per API call, errors with code, message and stack (default: JSON on stderr). */
  logger?: Logger;
  /** The cloud's counters (default: a registry of this app's own). */
  metrics?: CloudMetrics;
  /** Serve the counters at `/metrics` (the local cloud; in AWS they go to CloudWatch). */
  serveMetrics?: boolean;
  /** What `/readyz` asks besides nothing (compose.ts gives storage and the broker). */
  readiness?: ReadinessChecks;
  /** Milliseconds, for request durations (default: Date.now). */
  nowMs?: () => number;
  /** Batch personalisation (docs/batches.md): `/v1/batches` when given. */
  batches?: BatchDeps;
  /** The web console at /console/ (docs/console.md) when given. */
  console?: ConsoleDeps;
  /** Live events of jobs and batches (docs/console-live-progress.md): `…/events` when given. */
  live?: LiveDeps;
}

export const MAX_REQUEST_BYTES = 256 * 1024;

export function createApp(deps: AppDeps): App {
  // Validation failures answer the API's error body, not zod's (openapi.ts).
  const app = new OpenAPIHono<Env>({ defaultHook });

  // Without a logger of the composition root's: failures still reach stderr, nothing else.
  const logger =
    deps.logger ??
    recordLogger((record) => {
      if (record.level === 'error') console.error(JSON.stringify(record));
    });
  const metrics = deps.metrics ?? cloudMetrics();
  app.use('*', requestLog(logger, metrics, deps.nowMs ?? Date.now));
  app.onError((thrown, c) => {
    const error = fromHttpException(thrown);
    const answer = errorAnswer(error);
    if (answer.log) deps.log?.(answer.log);
    // A refusal (4xx) by its code and message; a failure with its stack and cause chain.
    // Typed errors carry no secret (docs/security.md); log-fields.ts redacts secret keys.
    const log = c.get('log') ?? logger;
    const code = error instanceof CardfleetError ? error.code : 'INTERNAL';
    if (answer.log) log.error(answer.log, { code, err: error });
    else if (answer.status >= 500) log.warn('request contended', { code });
    else log.info('request refused', { code, message: error.message });
    return c.json(answer.body, answer.status, answer.headers);
  });
  app.notFound((c) => c.json(errorBody(notFound('route')), 404));

  healthRoutes(app, { checks: deps.readiness ?? {}, metrics, serveMetrics: deps.serveMetrics ?? false });
  const publicKeys = async () => [
    await deps.signer.publicJwk(),
    ...((await deps.nextKeys?.()) ?? []),
    ...((await deps.previousKeys?.()) ?? []),
  ];
  wellKnownRoutes(app, publicKeys, deps.signer);
  docsRoutes(app);
  if (deps.console) consoleRoutes(app, deps.console);
  // Generated once, after every route below is declared (openapi.ts).
  let openApi: Record<string, unknown> | undefined;
  app.openapi(documentRoute, (c) => {
    openApi ??= openApiDocument(app);
    return c.json(openApi, 200);
  });

  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_REQUEST_BYTES,
      onError: (c) =>
        c.json(
          errorBody(
            new CardfleetError('PAYLOAD_TOO_LARGE', `requests are limited to ${MAX_REQUEST_BYTES} bytes`),
          ),
          413,
        ),
    }),
  );
  app.use('/v1/*', async (c, next) => {
    // Enrolment authenticates with its one-time code instead (routes/agents.ts).
    if (c.req.method === 'POST' && /^\/v1\/(agents\/[^/]+\/)?enrol$/.test(c.req.path)) return next();
    const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) throw new CardfleetError('UNAUTHENTICATED', 'a bearer token is required');
    c.set('identity', await deps.tokens.verify(token));
    await next();
  });

  meRoutes(app);
  encodingRoutes(app, deps.encodings);
  agentRoutes(app, deps.agents, {
    jobs: deps.jobs,
    ...(deps.onAgentRevoked ? { onAgentRevoked: deps.onAgentRevoked } : {}),
  });
  jobRoutes(
    app,
    deps.jobs,
    deps.agents,
    deps.encodings,
    deps.results,
    deps.jobsForCard,
    deps.onJobQueued,
    metrics,
    deps.releases &&
      ((id, office) => deps.releases?.gate.defaultVersion(id, office) ?? Promise.resolve(undefined)),
  );

  auditRoutes(app, deps.audit);
  if (deps.batches) batchRoutes(app, deps.batches);
  if (deps.live) {
    const { jobs, results, batches, live } = deps;
    liveRoutes(app, { jobs, results, live, ...(batches ? { batches } : {}) });
  }
  if (deps.releases) app.route('/', releaseRoutes(deps.releases));

  return app;
}

const documentRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  summary: 'this document (OpenAPI 3.1), generated from the routes',
  security: [],
  responses: { 200: json(z.record(z.string(), z.unknown()), 'the OpenAPI document') },
});
