import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  agentTopics,
  BROKER_LOGIN_SECONDS,
  brokerClientId,
  CLOUD_INGEST_USER,
  signBrokerLogin,
  topicRootFor,
} from '@cardfleet/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { addEnrolledAgent, memoryCloud } from '../../../test/support/test-cloud';
import { iotScopeOf } from '../lambda/iot-scope';
import { BROKER_SESSION_SECONDS, type BrokerAuthorizerDeps, brokerAuthorizer } from './broker-authorizer';

// IoT Core's custom authorizer event and response (AWS IoT Core Developer Guide,
// "Defining your Lambda function"), as fixtures.
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../test/fixtures/iot-authorizer', name), 'utf8'));
const connectEvent = fixture('mqtt-connect-event.json');
const admitted = fixture('agent-admitted-response.json');
const refusedResponse = fixture('refused-response.json');

const AGENT = 'agent-berlin-1';
const stage = agentTopics(topicRootFor('cardfleet', 'prod'));
const scope = iotScopeOf('arn:aws:lambda:eu-central-1:123456789012:function:cardfleet-prod-IotAuthorizer');
const now = 1_800_000_000;
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const event = (mqtt: { username?: string; password?: string; clientId?: string }) => ({
  ...connectEvent,
  protocolData: { ...connectEvent.protocolData, mqtt: { ...connectEvent.protocolData.mqtt, ...mqtt } },
});
const loginEvent = (
  options: {
    signer?: typeof key.privateKey;
    agentId?: string;
    clientId?: string;
    at?: number;
    root?: string;
  } = {},
) => {
  const agentId = options.agentId ?? AGENT;
  const login = signBrokerLogin(options.signer ?? key.privateKey, {
    agentId,
    audience: options.root ?? stage.root,
    now: options.at ?? now,
  });
  return event({
    username: agentId,
    clientId: options.clientId ?? brokerClientId(agentId, stage),
    password: Buffer.from(login).toString('base64'),
  });
};

describe('the broker authorizer (IoT Core custom authorizer event → response)', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  let authorize: ReturnType<typeof brokerAuthorizer>;
  const refusals: string[] = [];
  const deps = (): BrokerAuthorizerDeps => ({
    agents: { get: (id) => cloud.cloud.agents.get(id, { presence: false }) },
    topics: stage,
    scope,
    nowSeconds: () => now,
    onRefusal: (reason) => refusals.push(reason),
  });
  beforeAll(async () => {
    cloud = await memoryCloud();
    await addEnrolledAgent(cloud, AGENT, 'berlin', key.publicKey);
    await addEnrolledAgent(cloud, 'agent-berlin-2', 'berlin', otherKey.publicKey);
    await addEnrolledAgent(cloud, 'agent-revoked', 'berlin', key.publicKey);
    await cloud.call('POST', '/v1/agents/agent-revoked/revoke', { token: cloud.tokens.admin });
    await cloud.call('POST', '/v1/agents', {
      token: cloud.tokens.admin,
      body: { id: 'agent-pending', office: 'berlin' },
    });
    authorize = brokerAuthorizer(deps());
  });

  it('admits an active agent with a fresh login signed by its enrolled key, with exactly its own policy', async () => {
    expect(await authorize(loginEvent())).toEqual(admitted);
  });

  it('reads the agent from a username that names the authorizer in its query (IoT Core without a default authorizer)', async () => {
    const named = loginEvent();
    const mqtt = named.protocolData.mqtt;
    mqtt.username = `${AGENT}?x-amz-customauthorizer-name=cardfleet-production-agents`;
    expect(await authorize(named)).toEqual(admitted);
    // The query never lends another agent's name to the client id check.
    mqtt.username = `agent-berlin-2?x-amz-customauthorizer-name=cardfleet-production-agents`;
    expect(await authorize(named)).toMatchObject({ isAuthenticated: false, policyDocuments: [] });
  });

  it('refuses a client id other than the agent’s own: another agent’s, the cloud’s, another stage’s', async () => {
    expect(await authorize(loginEvent({ clientId: 'agent-berlin-2' }))).toEqual(refusedResponse);
    // The bare agent id is another stage's (the local one's) client id: one endpoint
    // serves every stage, so a login for this stage must not take that connection.
    expect(await authorize(loginEvent({ clientId: AGENT }))).toEqual(refusedResponse);
    const dev = agentTopics(topicRootFor('cardfleet', 'dev'));
    expect(await authorize(loginEvent({ clientId: brokerClientId(AGENT, dev) }))).toEqual(refusedResponse);
    expect(await authorize(loginEvent({ clientId: CLOUD_INGEST_USER }))).toEqual(refusedResponse);
  });

  it('refuses a login signed by another key, for another agent, for another stage, or expired', async () => {
    expect(await authorize(loginEvent({ signer: otherKey.privateKey }))).toEqual(refusedResponse);
    // agent-berlin-2's key signs a login naming agent-berlin-1.
    const forged = signBrokerLogin(otherKey.privateKey, {
      agentId: 'agent-berlin-2',
      audience: stage.root,
      now,
    });
    expect(await authorize(event({ password: Buffer.from(forged).toString('base64') }))).toEqual(
      refusedResponse,
    );
    expect(await authorize(loginEvent({ root: topicRootFor('cardfleet', 'dev') }))).toEqual(refusedResponse);
    expect(await authorize(loginEvent({ at: now - BROKER_LOGIN_SECONDS }))).toEqual(refusedResponse);
    expect(await authorize(event({ password: Buffer.from('agent-secret').toString('base64') }))).toEqual(
      refusedResponse,
    );
  });

  it('refuses a revoked, a not yet enrolled and an unknown agent', async () => {
    for (const agentId of ['agent-revoked', 'agent-pending', 'agent-unknown']) {
      const response = await authorize(loginEvent({ agentId }));
      expect(response.isAuthenticated).toBe(false);
      expect(response.policyDocuments).toEqual([]);
    }
  });

  it('refuses at the refresh of a connection whose agent was revoked meanwhile', async () => {
    await addEnrolledAgent(cloud, 'agent-later-revoked', 'berlin', key.publicKey);
    const connection = loginEvent({ agentId: 'agent-later-revoked' });
    expect((await authorize(connection)).isAuthenticated).toBe(true);
    await cloud.call('POST', '/v1/agents/agent-later-revoked/revoke', { token: cloud.tokens.admin });
    expect((await authorize(connection)).isAuthenticated).toBe(false);
  });

  it('answers malformed events and a failing store with a refusal, never an exception', async () => {
    for (const malformed of [
      undefined,
      null,
      'x',
      {},
      { protocols: ['http'], protocolData: {} },
      event({ clientId: '' }),
    ])
      expect((await authorize(malformed)).isAuthenticated).toBe(false);
    const failing = brokerAuthorizer({ ...deps(), agents: { get: () => Promise.reject(new Error('down')) } });
    expect((await failing(loginEvent())).isAuthenticated).toBe(false);
    expect(refusals.join(' ')).not.toContain('agent-secret');
  });

  it('admits the cloud’s own users only by their password, with their own client id, and none in AWS', async () => {
    const local = brokerAuthorizer({ ...deps(), servicePasswords: { [CLOUD_INGEST_USER]: 'ingest-secret' } });
    const service = (password: string, clientId = brokerClientId(CLOUD_INGEST_USER, stage)) =>
      event({ username: CLOUD_INGEST_USER, clientId, password: Buffer.from(password).toString('base64') });
    const ok = await local(service('ingest-secret'));
    expect(ok.isAuthenticated).toBe(true);
    expect(JSON.stringify(ok.policyDocuments)).toContain(
      `${scope.account}:topic/cardfleet/prod/agents/*/acks`,
    );
    expect((await local(service('wrong'))).isAuthenticated).toBe(false);
    expect((await local(service('ingest-secret', 'cardfleet-cloud-ingest-2'))).isAuthenticated).toBe(false);
    expect((await authorize(service('ingest-secret'))).isAuthenticated).toBe(false);
  });

  it('ends a connection 5 minutes before its login expires, and refuses a login too close to its end', async () => {
    // A login made 40 minutes ago has 20 minutes left: the connection gets 15.
    const older = await authorize(loginEvent({ at: now - 2400 }));
    expect(older).toMatchObject({ isAuthenticated: true, disconnectAfterInSeconds: 900 });
    // 9 minutes left: under IoT Core's shortest session once the margin is taken.
    expect((await authorize(loginEvent({ at: now - (BROKER_LOGIN_SECONDS - 540) }))).isAuthenticated).toBe(
      false,
    );
  });

  it('bounds a connection within IoT Core’s limits and ends it before its login expires', () => {
    const { refreshAfter, disconnectAfter } = BROKER_SESSION_SECONDS;
    for (const seconds of [refreshAfter, disconnectAfter]) {
      expect(seconds).toBeGreaterThanOrEqual(300);
      expect(seconds).toBeLessThanOrEqual(86_400);
    }
    expect(disconnectAfter).toBeLessThan(BROKER_LOGIN_SECONDS);
    expect(refreshAfter).toBeLessThanOrEqual(disconnectAfter);
  });

  it('reads region and account from the invoked function’s ARN', () => {
    expect(scope).toEqual({ region: 'eu-central-1', account: '123456789012' });
    expect(() => iotScopeOf('arn:aws:s3:::bucket')).toThrow();
  });
});
