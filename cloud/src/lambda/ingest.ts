import { iotPublisher } from '../publishing/iot-publisher';
import { awsCloud, awsTopics } from './aws-cloud';
import { type AgentRuleEvent, receiveFromRule } from './result-rule';

/**
 * The ingestion Lambda, fed by the IoT topic rule on what agents send (sst.config.ts):
 *   SELECT encode(*, 'base64') AS payload, topic(4) AS agentId, topic(5) AS kind
 *   FROM '<app>/<stage>/agents/+/+' WHERE topic(5) IN results, progress, presence
 * — the raw message (a signed result or one of its numbered parts, a progress event,
 * a presence) and the agent the topic belongs to (IoT Core's thing policy lets only
 * that agent publish there). A verified, ingested result is acknowledged on the agent's
 * acks topic through the IoT data plane, as the local subscriber does over MQTT.
 */
const cloud = await awsCloud();
const publisher = cloud.publication?.publisher ?? iotPublisher();
const topics = awsTopics();

export const handler = (event: AgentRuleEvent) => receiveFromRule(event, cloud, publisher, topics);
