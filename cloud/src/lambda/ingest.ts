import { iotPublisher } from '../publishing/iot-publisher';
import { awsCloud } from './aws-cloud';
import { type ResultRuleEvent, receiveFromRule } from './result-rule';

/**
 * The result-ingestion Lambda, fed by the IoT topic rule on the agents' result topics
 * (sst.config.ts): `SELECT encode(*, 'base64') AS payload, topic(3) AS agentId FROM
 * 'cardfleet/agents/+/results'` — the raw message (a whole signed result or one of its
 * numbered parts) and the agent the topic belongs to (IoT Core's thing policy lets
 * only that agent publish there). A verified, ingested result is acknowledged on the
 * agent's acks topic through the IoT data plane, as the local subscriber does over MQTT.
 */
const cloud = await awsCloud();
const publisher = cloud.publication?.publisher ?? iotPublisher();

export const handler = (event: ResultRuleEvent) => receiveFromRule(event, cloud.receiveResult, publisher);
