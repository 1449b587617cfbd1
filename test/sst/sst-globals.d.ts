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
declare const $app: { readonly name: string; readonly stage: string };
declare const sst: { aws: { Dynamo: SstComponent; Function: SstComponent; Cron: SstComponent } };
declare const aws: {
  getCallerIdentityOutput(args: SstInput): { readonly accountId: string };
  kms: { Key: SstComponent };
  iot: {
    TopicRule: SstComponent;
    Authorizer: SstComponent;
    getEndpointOutput(args: { endpointType: string }): { readonly endpointAddress: string };
  };
  iam: { Role: SstComponent; RolePolicy: SstComponent };
  lambda: { Permission: SstComponent; FunctionEventInvokeConfig: SstComponent };
  sqs: { Queue: SstComponent };
  s3: {
    BucketV2: SstComponent;
    BucketVersioningV2: SstComponent;
    BucketObjectLockConfigurationV2: SstComponent;
    BucketPublicAccessBlock: SstComponent;
  };
};
declare function $interpolate(parts: TemplateStringsArray, ...values: unknown[]): string;
declare function $jsonStringify(value: unknown): string;
