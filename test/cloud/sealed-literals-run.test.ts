import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobResult, type Pkcs11Application, settingText, silentLogger } from '@cardfleet/shared';
import { importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { receiveAgentMessage } from '../../cloud/src/publishing/agent-messages';
import { publishJob } from '../../cloud/src/publishing/job-publication';
import { applicationHandlers } from '../../edge-agent/src/applications/application-handlers';
import { JobExecution } from '../../edge-agent/src/daemon/job-execution';
import { JobLedger } from '../../edge-agent/src/daemon/job-ledger';
import { InProcessReaders } from '../../edge-agent/src/readers/in-process-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';
import { loadCardProfile } from '../../edge-agent/src/virtual-card/card-profile';
import { examples } from '../support/bundles';
import {
  hexSpellings,
  LITERAL_CMK,
  LITERAL_CR_KEY,
  literalSecretFiles,
  wireTexts,
} from '../support/literal-secrets';
import { addEnrolledAgent, memoryCloud, publicationDeps } from '../support/test-cloud';

// From the cloud's publication to the card, without a broker: the envelope holds no
// spelling of the bundle's literal secrets, and the agent — its own key opening the
// sealed literals — runs the bundle exactly as pushed: the card takes the CR response
// computed with the literal key, and the PKCS#11 application gets the literal CMK.
const AGENT = 'agent-berlin-1';

describe('a bundle with literal secrets, published and run', () => {
  it('crosses no secret in clear, and the agent runs the restored bundle on the card', async () => {
    const cloud = await memoryCloud();
    const pushed = await cloud.call('POST', '/v1/encodings', {
      token: cloud.tokens.admin,
      body: {
        id: 'auth-and-cmk',
        files: Object.entries(literalSecretFiles).map(([name, text]) => ({
          name,
          base64: Buffer.from(text).toString('base64'),
        })),
      },
    });
    expect(pushed.status).toBe(201);
    const agentKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await addEnrolledAgent(cloud, AGENT, 'berlin', agentKey.publicKey);
    await receiveAgentMessage(
      cloud.cloud,
      AGENT,
      'presence',
      JSON.stringify({ v: 3, status: 'online', at: new Date().toISOString(), readers: [] }),
    );
    const sent: Buffer[] = [];
    const publisher = {
      publish: async (_topic: string, payload: Uint8Array) => void sent.push(Buffer.from(payload)),
      close: async () => undefined,
    };
    const created = (await (
      await cloud.call('POST', '/v1/jobs', {
        token: cloud.tokens.operatorBerlin,
        body: { agentId: AGENT, encodingId: 'auth-and-cmk' },
      })
    ).json()) as { jobId: string };
    await publishJob(publicationDeps(cloud, publisher), created.jobId);
    expect(sent).toHaveLength(1);
    const envelope = sent[0] as Buffer;
    const leaks = wireTexts(envelope).flatMap((text) =>
      [...hexSpellings(LITERAL_CMK), ...hexSpellings(LITERAL_CR_KEY)].filter((form) => text.includes(form)),
    );
    expect(leaks).toEqual([]);

    const readers = new InProcessReaders();
    readers.insert('R', loadCardProfile(join(examples, 'cards/cardos.json')));
    const cmkSeen: (string | undefined)[] = [];
    const reported: JobResult[] = [];
    const jwks = (await (await cloud.call('GET', '/.well-known/jwks.json')).json()) as {
      keys: (JWK & { kid: string })[];
    };
    const keys = new Map(
      await Promise.all(jwks.keys.map(async (k) => [k.kid, await importJWK(k, 'ES256')] as const)),
    );
    const jobs = new JobExecution({
      agentId: AGENT,
      keys,
      privateKey: agentKey.privateKey,
      ledger: new JobLedger(join(mkdtempSync(join(tmpdir(), 'cardfleet-literals-')), 'ledger.jsonl')),
      readers,
      defaultReader: 'R',
      prompter: { askPins: async () => [] },
      clock: systemClock,
      handlers: {
        ...applicationHandlers(),
        // Stands for the PKCS#11 module: what matters here is the CMK the bundle gives it.
        pkcs11: async (app: Pkcs11Application) => {
          cmkSeen.push(settingText(app.settings.CardManagerKey));
          return { name: app.name, kind: 'pkcs11', status: 'SUCCEEDED', outputs: {}, apdus: [] };
        },
      },
      report: async (result) => void reported.push(result),
      publishProgress: () => undefined,
      logger: silentLogger,
    });
    jobs.enqueue(envelope);
    await jobs.idle();
    expect(reported).toMatchObject([{ jobId: created.jobId, status: 'SUCCEEDED' }]);
    // GET CHALLENGE, then EXTERNAL AUTHENTICATE accepted: the CR key was the one written.
    expect(reported[0]?.applications[0]).toMatchObject({ status: 'SUCCEEDED', responseCodes: '9000,9000' });
    expect(cmkSeen).toEqual([LITERAL_CMK.toLowerCase()]);
  });
});
