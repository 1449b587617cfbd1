import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

/**
 * The API Lambda is a thin adapter: Hono's AWS Lambda handler around the same app
 * `createApp` builds for Node (API Gateway v2 and Function URL events).
 */
// biome-ignore lint/suspicious/noExplicitAny: the app's Env type does not matter to the adapter
export function lambdaHandler(app: Hono<any>) {
  return handle(app);
}
