// The globals SST provides to sst.config.ts, typed as loosely as the config needs;
// the real types come from .sst/platform/config.d.ts, which only the sst CLI creates.
type SstInput = Record<string, unknown>;
type SstResource = {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly id: string;
  readonly bucket: string;
};
type SstComponent = new (name: string, args: SstInput) => SstResource;
declare function $config(config: { app(input?: { stage?: string }): SstInput; run(): Promise<SstInput> }): {
  app(input?: { stage?: string }): SstInput;
  run(): Promise<SstInput>;
};
declare const sst: { aws: { Dynamo: SstComponent; Function: SstComponent; Cron: SstComponent } };
declare const aws: {
  kms: { Key: SstComponent };
  iot: { TopicRule: SstComponent };
  lambda: { Permission: SstComponent };
  s3: {
    BucketV2: SstComponent;
    BucketVersioningV2: SstComponent;
    BucketObjectLockConfigurationV2: SstComponent;
    BucketPublicAccessBlock: SstComponent;
  };
};
declare function $interpolate(parts: TemplateStringsArray, ...values: unknown[]): string;
