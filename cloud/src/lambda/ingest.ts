import { awsCloud } from './aws-cloud';

/**
 * The result-ingestion Lambda, fed by the IoT topic rule on the agents' result
 * topics (`SELECT * FROM 'cardfleet/agents/+/results'`): the event is the message.
 */
const cloud = await awsCloud();
export const handler = async (event: { result?: unknown; signature?: string }) =>
  cloud.ingest(event.result ?? event, event.signature);
