// The cloud package: Hono API, DynamoDB storage, signing and publishing (docs/architecture.md, "Rooms").
export const CLOUD_PACKAGE = '@cardfleet/cloud';
