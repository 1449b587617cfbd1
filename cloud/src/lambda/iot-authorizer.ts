import {
  type BrokerAuthorizer,
  brokerAuthorizer,
  type IotAuthorizerResponse,
} from '../broker/broker-authorizer';
import { awsCloud, awsTopics } from './aws-cloud';
import { iotScopeOf } from './iot-scope';

/**
 * IoT Core's custom authorizer (AWS IoT Core Developer Guide, "Creating and managing
 * custom authorizers"; signing disabled, MQTT username and password): a thin adapter
 * around the broker authorizer (cloud/src/broker/broker-authorizer.ts) over the agent
 * store in DynamoDB. The region and account of the policy's ARNs are the function's own
 * (from the invoked function's ARN). No service principal logs in here: the cloud
 * publishes through IoT Core's data plane with its IAM role.
 */
const cloud = await awsCloud();
const topics = awsTopics();
let authorize: BrokerAuthorizer | undefined;

export const handler = (
  event: unknown,
  context: { invokedFunctionArn: string },
): Promise<IotAuthorizerResponse> => {
  authorize ??= brokerAuthorizer({
    agents: { get: (id) => cloud.agents.get(id, { presence: false }) },
    topics,
    scope: iotScopeOf(context.invokedFunctionArn),
    nowSeconds: () => Math.floor(Date.now() / 1000),
    // Names and reasons only (broker-authorizer.ts never passes a password here).
    onRefusal: (reason, username) => console.warn(`broker login refused (${username ?? '?'}): ${reason}`),
  });
  return authorize(event);
};
