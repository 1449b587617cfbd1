import { z } from 'zod';

/**
 * IoT Core policy documents and their one evaluator (AWS IoT Core Developer Guide, "AWS
 * IoT Core policies" and "AWS IoT policy elements"). The custom authorizer returns such
 * documents to IoT Core; the embedded Aedes evaluates the very same documents for every
 * CONNECT, SUBSCRIBE, PUBLISH and delivery, so the production decision is the local one.
 *
 * Semantics kept from IoT Core: everything is denied unless a statement allows it, and an
 * explicit Deny wins over any Allow (IAM's policy evaluation logic). In a resource, `*`
 * matches any run of characters (`/` included) and `?` any one character; `+` and `#`
 * are literal characters — a topic filter resource (`topicfilter/…`) names the filter a
 * client subscribes with, character for character.
 */
export const IOT_POLICY_VERSION = '2012-10-17';
/**
 * `iot:RetainPublish` is asked besides `iot:Publish` for a retained message or a retained
 * last will (AWS IoT Core Developer Guide, "Retained message policy examples").
 */
export const IOT_ACTIONS = [
  'iot:Connect',
  'iot:Publish',
  'iot:RetainPublish',
  'iot:Subscribe',
  'iot:Receive',
] as const;
export type IotAction = (typeof IOT_ACTIONS)[number];

export interface IotPolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
}

export interface IotPolicyDocument {
  Version: typeof IOT_POLICY_VERSION;
  Statement: IotPolicyStatement[];
}

const oneOrMany = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((value) => (typeof value === 'string' ? [value] : value));

export const IotPolicyDocumentSchema = z
  .object({
    Version: z.literal(IOT_POLICY_VERSION),
    Statement: z
      .array(z.object({ Effect: z.enum(['Allow', 'Deny']), Action: oneOrMany, Resource: oneOrMany }).strict())
      .min(1),
  })
  .strict();

/** The account and region a policy's ARNs name (locally a fixed stand-in, `LOCAL_IOT_SCOPE`). */
export interface IotScope {
  region: string;
  account: string;
}

export const LOCAL_IOT_SCOPE: IotScope = { region: 'local', account: '000000000000' };

/** `arn:aws:iot:<region>:<account>:<kind>/<name>` (AWS IoT policy elements, "Resource"). */
export function iotArn(scope: IotScope, kind: 'client' | 'topic' | 'topicfilter', name: string): string {
  return `arn:aws:iot:${scope.region}:${scope.account}:${kind}/${name}`;
}

/** Allowed: some statement allows `action` on `resource` and none denies it. */
export function isAllowed(
  documents: readonly IotPolicyDocument[],
  action: IotAction,
  resource: string,
): boolean {
  let allowed = false;
  for (const document of documents)
    for (const statement of document.Statement) {
      const matches =
        statement.Action.some((pattern) => wildcardMatch(pattern.toLowerCase(), action.toLowerCase())) &&
        statement.Resource.some((pattern) => wildcardMatch(pattern, resource));
      if (!matches) continue;
      if (statement.Effect === 'Deny') return false;
      allowed = true;
    }
  return allowed;
}

/**
 * May a client holding `documents` publish on `topic`: never on a wildcard (no broker
 * takes one in a PUBLISH, MQTT 3.1.1 §3.3.2.1), iot:Publish on the topic, and for a
 * retained message iot:RetainPublish too. The embedded broker's rule, and the policy's.
 */
export function mayPublishWith(
  documents: readonly IotPolicyDocument[],
  scope: IotScope,
  topic: string,
  retain = false,
): boolean {
  const resource = iotArn(scope, 'topic', topic);
  return (
    !/[+#]/.test(topic) &&
    isAllowed(documents, 'iot:Publish', resource) &&
    (!retain || isAllowed(documents, 'iot:RetainPublish', resource))
  );
}

/**
 * One document per statement: IoT Core takes at most 2,048 characters per document from
 * a custom authorizer (and up to 10 documents), and a long agent id under a long stage
 * root does not fit one. Evaluating the list is evaluating the whole document.
 */
export function perStatement(document: IotPolicyDocument): IotPolicyDocument[] {
  return document.Statement.map((statement) => ({ Version: document.Version, Statement: [statement] }));
}

/** Parses documents as an authorizer returns them (objects, or JSON text); undefined when one is malformed. */
export function parsePolicyDocuments(documents: readonly unknown[]): IotPolicyDocument[] | undefined {
  const parsed: IotPolicyDocument[] = [];
  for (const document of documents) {
    let json: unknown = document;
    if (typeof document === 'string') {
      // Stryker disable BlockStatement: text that is no JSON, kept as text, fails the schema below all the same
      try {
        json = JSON.parse(document);
      } catch {
        return undefined;
      }
    }
    // Stryker restore BlockStatement
    const result = IotPolicyDocumentSchema.safeParse(json);
    if (!result.success) return undefined;
    parsed.push(result.data);
  }
  return parsed;
}

/**
 * `*` and `?` glob matching without regular expressions: greedy with one backtrack point
 * (the last `*`), so time stays O(pattern × text) whatever the pattern.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    // `*` first: a `*` in the text is an ordinary character, never the pattern's wildcard.
    // Stryker disable ConditionalExpression,EqualityOperator: past the pattern's end pattern[p] is undefined, equal to no character, '?' or '*'; the bound states it
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      // Stryker restore ConditionalExpression,EqualityOperator
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
