/// <reference path="./.sst/platform/config.d.ts" />
// SST app (https://sst.dev). Filled in by the cloud issue: DynamoDB table, API
// function, ingestion function, KMS keys. Kept real and minimal until then.
export default $config({
  app(input) {
    return {
      name: 'cardfleet',
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      home: 'aws',
    };
  },
  async run() {
    return {};
  },
});
