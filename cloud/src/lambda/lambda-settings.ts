import { CardfleetError } from '@cardfleet/shared';
import type { ClaimMapping } from '../auth/claim-mapping';
import { type ConsoleClientSettings, readClaimMapping, readConsoleClient } from '../auth/idp-settings';

/**
 * The settings sst.config.ts gives the API, dispatch and ingestion functions, read and
 * checked once at cold start (docs/deploy.md, "What the functions receive"): a function
 * with a missing or malformed setting fails its first invocation with an error naming
 * the variable, instead of answering requests and failing at the first one that needs it.
 */
export interface LambdaSettings {
  tableName: string;
  idp: {
    jwksUrl: string;
    issuer: string;
    audience: string;
    /** How its claims name role and office (IDP_ROLE_CLAIM, IDP_ROLE_MAP, …); absent: `role`/`office`. */
    mapping?: ClaimMapping;
    /** The console's public client (IDP_CLIENT_ID, IDP_SCOPES, IDP_RESOURCE); absent: no OIDC sign-in. */
    console?: ConsoleClientSettings;
  };
  /** KMS key ids or ARNs. */
  kms: { signing: string; secrets: string; audit: string };
  witnessBucket: string;
  /** The account's IoT data endpoint (host name, `iot:Data-ATS`), looked up at deploy. */
  iotDataEndpoint: string;
  /** Where the agents' topics start: `<app>/<stage>/agents` in AWS (docs/messaging.md). */
  topicRoot: string;
  jobIssuer: string;
  /** Open jobs with no news for this long are TIMED_OUT by the dispatch function. */
  jobTimeoutMinutes: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const REQUIRED = [
  'TABLE_NAME',
  'IDP_JWKS_URL',
  'IDP_ISSUER',
  'SIGNING_KEY_ID',
  'SECRETS_KEY_ID',
  'AUDIT_KEY_ID',
  'WITNESS_BUCKET',
  'IOT_DATA_ENDPOINT',
  'TOPIC_ROOT',
] as const;

// A DNS name without scheme, port or path: the SDK is given `https://<host>`.
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;
// Topic levels as topicRootFor makes them; no MQTT wildcard (`+`, `#`) and no empty level.
const TOPIC_ROOT = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** Reads every setting; one error lists every missing variable, another the first malformed one. */
export function readLambdaSettings(env: Env): LambdaSettings {
  const missing = REQUIRED.filter((name) => !env[name]?.trim());
  if (missing.length > 0)
    throw new CardfleetError('CONFIG_MISSING', `environment variable(s) not set: ${missing.join(', ')}`);
  const value = (name: (typeof REQUIRED)[number]) => (env[name] as string).trim();
  // Keys are fetched from the JWKS URL: plain HTTP would let the network choose them.
  if (!isHttpsUrl(value('IDP_JWKS_URL')))
    throw invalid('IDP_JWKS_URL', 'an https:// URL of the identity provider key set');
  if (!HOST.test(value('IOT_DATA_ENDPOINT')))
    throw invalid(
      'IOT_DATA_ENDPOINT',
      'a host name (aws iot describe-endpoint --endpoint-type iot:Data-ATS)',
    );
  const timeout = env.JOB_TIMEOUT_MINUTES?.trim() || '30';
  const mapping = readClaimMapping(env, 'IDP_');
  const consoleClient = readConsoleClient(env, 'IDP_');
  if (!/^[1-9]\d{0,4}$/.test(timeout)) throw invalid('JOB_TIMEOUT_MINUTES', 'a whole number of minutes');
  return {
    tableName: value('TABLE_NAME'),
    idp: {
      jwksUrl: value('IDP_JWKS_URL'),
      issuer: value('IDP_ISSUER'),
      audience: env.IDP_AUDIENCE?.trim() || 'cardfleet-api',
      ...(mapping ? { mapping } : {}),
      ...(consoleClient ? { console: consoleClient } : {}),
    },
    kms: { signing: value('SIGNING_KEY_ID'), secrets: value('SECRETS_KEY_ID'), audit: value('AUDIT_KEY_ID') },
    witnessBucket: value('WITNESS_BUCKET'),
    iotDataEndpoint: value('IOT_DATA_ENDPOINT'),
    topicRoot: readTopicRoot(env),
    jobIssuer: env.JOB_ISSUER?.trim() || 'cardfleet',
    jobTimeoutMinutes: Number(timeout),
  };
}

/** `TOPIC_ROOT` alone, checked: for functions that need the topic tree and nothing else. */
export function readTopicRoot(env: Env): string {
  const root = env.TOPIC_ROOT?.trim();
  if (!root) throw new CardfleetError('CONFIG_MISSING', 'environment variable(s) not set: TOPIC_ROOT');
  if (!TOPIC_ROOT.test(root))
    throw invalid('TOPIC_ROOT', 'topic levels such as cardfleet/production/agents, without wildcards');
  return root;
}

/**
 * What sst.config.ts gives the IoT custom authorizer (TABLE_NAME, TOPIC_ROOT) — it may
 * read agent items and nothing else, so it is composed from these alone.
 */
export function readAuthorizerSettings(env: Env): Pick<LambdaSettings, 'tableName' | 'topicRoot'> {
  const tableName = env.TABLE_NAME?.trim();
  const missing = [...(tableName ? [] : ['TABLE_NAME']), ...(env.TOPIC_ROOT?.trim() ? [] : ['TOPIC_ROOT'])];
  if (missing.length > 0)
    throw new CardfleetError('CONFIG_MISSING', `environment variable(s) not set: ${missing.join(', ')}`);
  return { tableName: tableName as string, topicRoot: readTopicRoot(env) };
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

// The value is not repeated: settings are not secrets, but errors stay free of inputs.
const invalid = (name: string, expected: string) =>
  new CardfleetError('CONFIG_INVALID', `environment variable ${name} must be ${expected}`);
