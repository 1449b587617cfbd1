import { CardfleetError, type KeySet, servedWireVersion } from '@cardfleet/shared';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { CryptoKey, JWK } from 'jose';
import type { RevocationDeps } from '../agents/agent-revocation';
import type { AgentStore } from '../agents/agent-store';
import type { AuditLog } from '../audit/audit-log';
import type { TokenVerifier } from '../auth/identity';
import type { Signer } from '../crypto/signer';
import type { EncodingStore } from '../encodings/encoding-store';
import type { JobStore } from '../jobs/job-store';
import { errorAnswer, errorBody, notFound } from './api-error';
import type { Env } from './context';
import { keySetDocuments } from './key-set-document';
import { openApiDocument } from './openapi';
import { agentRoutes } from './routes/agents';
import { auditRoutes } from './routes/audit';
import { encodingRoutes } from './routes/encodings';
import { type CardIndex, type JobQueuedHook, jobRoutes, type ResultReader } from './routes/jobs';

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
  signer: Signer & { publicKey: CryptoKey };
  /** Publishes a job as soon as it is QUEUED (when the cloud has a publisher). */
  onJobQueued?: JobQueuedHook;
  /** After a revocation is stored: the broker disconnects the agent (agents/agent-revocation.ts). */
  onAgentRevoked?: RevocationDeps['onAgentRevoked'];
  /** Where internal errors are logged, one line each (default: stderr). */
  log?: (line: string) => void;
}

export const MAX_REQUEST_BYTES = 256 * 1024;

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  const log = deps.log ?? ((line: string) => console.error(line));
  app.onError((error, c) => {
    const answer = errorAnswer(error);
    if (answer.log) log(answer.log);
    return c.json(answer.body, answer.status, answer.headers);
  });
  app.notFound((c) => c.json(errorBody(notFound('route')), 404));

  app.get('/healthz', (c) => c.json({ ok: true }));
  // The cloud's public signing keys: agents pin them at enrolment to verify job envelopes.
  const publicKeys = async () => [
    await deps.signer.publicJwk(),
    ...((await deps.nextKeys?.()) ?? []),
    ...((await deps.previousKeys?.()) ?? []),
  ];
  app.get('/.well-known/jwks.json', async (c) => c.json({ keys: await publicKeys() }));
  // The same keys as a signed key-set update (shared/src/messages/key-set.ts): agents take
  // it only when signed by a key they already pinned; in the wire version the agent asks
  // for with `?v=` (none: the previous version; docs/messaging.md, "Versions").
  // Signed once per key list and wire version (key-set-document.ts), not per request.
  const keySetDocument = keySetDocuments(deps.signer);
  app.get('/.well-known/cardfleet-keyset.jws', async (c) => {
    const jws = await keySetDocument(
      (await publicKeys()) as KeySet['keys'],
      servedWireVersion(Number(c.req.query('v')) || undefined),
    );
    return c.text(jws, 200, { 'content-type': 'application/jose', 'cache-control': 'no-store' });
  });
  const openApi = openApiDocument();
  app.get('/openapi.json', (c) => c.json(openApi));

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

  encodingRoutes(app, deps.encodings);
  agentRoutes(app, deps.agents, {
    jobs: deps.jobs,
    ...(deps.onAgentRevoked ? { onAgentRevoked: deps.onAgentRevoked } : {}),
  });
  jobRoutes(app, deps.jobs, deps.agents, deps.encodings, deps.results, deps.jobsForCard, deps.onJobQueued);

  auditRoutes(app, deps.audit);

  return app;
}
