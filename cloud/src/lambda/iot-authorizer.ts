import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readAgent } from '../agents/agent-store';
import {
  type BrokerAuthorizer,
  brokerAuthorizer,
  type IotAuthorizerResponse,
} from '../broker/broker-authorizer';
import { DynamoTable } from '../storage/dynamo-table';
import { awsTopics } from './aws-cloud';
import { iotScopeOf } from './iot-scope';
import { readAuthorizerSettings } from './lambda-settings';

/**
 * IoT Core's custom authorizer (AWS IoT Core Developer Guide, "Creating and managing
 * custom authorizers"; signing disabled, MQTT username and password): a thin adapter
 * around the broker authorizer (cloud/src/broker/broker-authorizer.ts) over the agent
 * store in DynamoDB. The region and account of the policy's ARNs are the function's own
 * (from the invoked function's ARN). No service principal logs in here: the cloud
 * publishes through IoT Core's data plane with its IAM role.
 */
// Only the table and the topic root: the authorizer reads one item (GetItem on the
// agent's key, the one grant sst.config.ts gives it) and needs no KMS key.
const settings = readAuthorizerSettings(process.env);
const table = new DynamoTable(new DynamoDBClient({}), settings.tableName);
const topics = awsTopics();
let authorize: BrokerAuthorizer | undefined;

export const handler = (
  event: unknown,
  context: { invokedFunctionArn: string },
): Promise<IotAuthorizerResponse> => {
  authorize ??= brokerAuthorizer({
    agents: { get: (id) => readAgent(table, id) },
    topics,
    scope: iotScopeOf(context.invokedFunctionArn),
    nowSeconds: () => Math.floor(Date.now() / 1000),
    // Names and reasons only (broker-authorizer.ts never passes a password here).
    onRefusal: (reason, username) => console.warn(`broker login refused (${username ?? '?'}): ${reason}`),
  });
  return authorize(event);
};
