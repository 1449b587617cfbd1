import { describe, expect, it } from 'vitest';
import { readAuthorizerSettings, readLambdaSettings, readTopicRoot } from './lambda-settings';

// What sst.config.ts sets on the API, dispatch and ingestion functions.
const deployed = {
  TABLE_NAME: 'cardfleet-production-TableTable-x',
  IDP_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  IDP_ISSUER: 'https://idp.example.com/',
  IDP_AUDIENCE: 'cardfleet-api',
  SIGNING_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/signing',
  SECRETS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/secrets',
  AUDIT_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/audit',
  WITNESS_BUCKET: 'cardfleet-production-auditwitness-x',
  IOT_DATA_ENDPOINT: 'a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com',
  TOPIC_ROOT: 'cardfleet/production/agents',
};

describe('Lambda settings read at cold start', () => {
  it('reads every setting the deployment gives the functions', () => {
    expect(readLambdaSettings(deployed)).toEqual({
      tableName: deployed.TABLE_NAME,
      idp: { jwksUrl: deployed.IDP_JWKS_URL, issuer: deployed.IDP_ISSUER, audience: 'cardfleet-api' },
      kms: {
        signing: deployed.SIGNING_KEY_ID,
        secrets: deployed.SECRETS_KEY_ID,
        audit: deployed.AUDIT_KEY_ID,
      },
      witnessBucket: deployed.WITNESS_BUCKET,
      iotDataEndpoint: deployed.IOT_DATA_ENDPOINT,
      topicRoot: 'cardfleet/production/agents',
      jobIssuer: 'cardfleet',
      jobTimeoutMinutes: 30,
    });
  });

  it('refuses a job timeout that is not a whole number of minutes, which would time out nothing or everything', () => {
    expect(readLambdaSettings({ ...deployed, JOB_TIMEOUT_MINUTES: '45' }).jobTimeoutMinutes).toBe(45);
    for (const minutes of ['abc', '0', '-5', '1.5'])
      expect(() => readLambdaSettings({ ...deployed, JOB_TIMEOUT_MINUTES: minutes })).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: expect.stringContaining('JOB_TIMEOUT_MINUTES'),
        }),
      );
  });

  it('refuses to start when settings are missing or empty, naming each of them', () => {
    const { TOPIC_ROOT: _root, ...withoutRoot } = deployed;
    const env = { ...withoutRoot, IDP_ISSUER: '', IOT_DATA_ENDPOINT: '  ' };
    expect(() => readLambdaSettings(env)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_MISSING',
        message: 'environment variable(s) not set: IDP_ISSUER, IOT_DATA_ENDPOINT, TOPIC_ROOT',
      }),
    );
  });

  it('refuses a key set fetched over plain HTTP, where the network could choose the keys', () => {
    const env = { ...deployed, IDP_JWKS_URL: 'http://idp.example.com/jwks.json' };
    expect(() => readLambdaSettings(env)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('IDP_JWKS_URL') }),
    );
  });

  it('refuses an IoT endpoint given as a URL instead of a host name', () => {
    const env = { ...deployed, IOT_DATA_ENDPOINT: 'https://a1b2-ats.iot.eu-west-1.amazonaws.com' };
    expect(() => readLambdaSettings(env)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('refuses a topic root with an MQTT wildcard or an empty level, which would widen every topic', () => {
    for (const root of ['cardfleet/+/agents', 'cardfleet/#', 'cardfleet//agents', '/cardfleet/agents'])
      expect(() => readLambdaSettings({ ...deployed, TOPIC_ROOT: root })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('TOPIC_ROOT') }),
      );
  });

  it('names the variable but never repeats its value', () => {
    const env = { ...deployed, IDP_JWKS_URL: 'ftp://user:hunter2@idp.example.com/' };
    const error = (() => {
      try {
        readLambdaSettings(env);
      } catch (thrown) {
        return thrown as Error;
      }
    })();
    expect(error?.message).toContain('IDP_JWKS_URL');
    expect(error?.message).not.toContain('hunter2');
  });

  it('gives the IoT authorizer its two settings without asking for the others', () => {
    expect(readAuthorizerSettings({ TABLE_NAME: 't', TOPIC_ROOT: 'cardfleet/qa/agents' })).toEqual({
      tableName: 't',
      topicRoot: 'cardfleet/qa/agents',
    });
    expect(() => readAuthorizerSettings({ TOPIC_ROOT: 'cardfleet/qa/agents' })).toThrow(
      'environment variable(s) not set: TABLE_NAME',
    );
    expect(() => readTopicRoot({ TOPIC_ROOT: 'cardfleet/+' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('reads the IdP claim mapping and the console client when they are set', () => {
    const idp = readLambdaSettings({
      ...deployed,
      IDP_ROLE_CLAIM: 'cognito:groups',
      IDP_ROLE_MAP: 'fleet-admins=admin, fleet-ops=operator',
      IDP_OFFICE_CLAIM: 'custom:office',
      IDP_CLIENT_ID: 'console-client',
      IDP_SCOPES: 'openid email',
      IDP_RESOURCE: 'https://api.cardfleet.example',
    }).idp;
    expect(idp.mapping).toEqual({
      subjectClaim: 'sub',
      roleClaim: 'cognito:groups',
      roles: { 'fleet-admins': 'admin', 'fleet-ops': 'operator' },
      officeClaim: 'custom:office',
    });
    expect(idp.console).toEqual({
      clientId: 'console-client',
      scopes: ['openid', 'email'],
      resource: 'https://api.cardfleet.example',
    });
    expect(
      readLambdaSettings({ ...deployed, IDP_ROLE_MAP: '{"CN=Admins,OU=Groups":"admin"}' }).idp.mapping?.roles,
    ).toEqual({ 'CN=Admins,OU=Groups': 'admin' });
  });

  it('refuses a role map that gives the agent role, or that is malformed, naming the variable only', () => {
    for (const map of ['bots=agent', 'admins', '=admin', 'a=admin,a=auditor', '{"a":', '["admin"]'])
      expect(() => readLambdaSettings({ ...deployed, IDP_ROLE_MAP: map })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('IDP_ROLE_MAP') }),
      );
    expect(() => readLambdaSettings({ ...deployed, IDP_CLIENT_ID: 'c', IDP_SCOPES: 'email' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('IDP_SCOPES') }),
    );
    expect(() => readLambdaSettings({ ...deployed, IDP_CLIENT_ID: 'c', IDP_RESOURCE: 'not a uri' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('IDP_RESOURCE') }),
    );
  });
});
