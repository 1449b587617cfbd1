// The cloud package: Hono API, DynamoDB storage, signing and publishing (cloud issue).
export const CLOUD_PACKAGE = '@cardfleet/cloud';
