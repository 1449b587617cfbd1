import { iotPublisher } from '../publishing/iot-publisher';
import { awsCloud, awsTopics } from './aws-cloud';
import { type AgentRuleEvent, receiveFromRule } from './result-rule';

/**
 * The batch function, fed by the IoT topic rule on the agents' `batch` topics
 * (sst.config.ts): a card is in an open batch's reader, and this makes that card's job
 * from its CSV row and publishes it (docs/batches.md). Its own function, not ingestion:
 * it opens the batch's sealed row and seals the job's secret fields, as the API does for
 * a job; ingestion never decrypts.
 */
const cloud = await awsCloud();
const publisher = cloud.publication?.publisher ?? iotPublisher();
const topics = awsTopics();

export const handler = (event: AgentRuleEvent) =>
  event.kind === 'batch' ? receiveFromRule(event, cloud, publisher, topics) : Promise.resolve();
