/**
 * US East (N. Virginia) list prices the cost benchmark prices a job with, as read on
 * 2026-12-06 (docs/benchmarks.md, "Cost per job", names each page). On-demand, no free
 * tier, no savings plan; the lowest-volume tier where a price has tiers.
 */
export const PRICES_READ_ON = '2026-12-06';

export const US_EAST_1 = {
  /** DynamoDB on-demand, Standard table class (aws.amazon.com/dynamodb/pricing/on-demand/). */
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
  /** KMS (aws.amazon.com/kms/pricing/): symmetric requests; asymmetric ECC (Sign) requests. */
  kmsSymmetricRequest: 0.03 / 1e4,
  kmsAsymmetricRequest: 0.15 / 1e4,
  /** AWS IoT Core (aws.amazon.com/iot-core/pricing/): messages (5 KB units), connection minutes, rules. */
  iotMessage: 1.0 / 1e6,
  iotConnectionMinute: 0.08 / 1e6,
  iotRuleTriggered: 0.15 / 1e6,
  iotRuleAction: 0.15 / 1e6,
  /** Lambda (aws.amazon.com/lambda/pricing/), x86: per request and per GB-second. */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000166667,
  /** AWS IoT Jobs: per job execution, first 250,000 a month (the alternative a user would pick). */
  iotJobsExecution: 0.003,
} as const;

/** What one job used, as the cost benchmark measured it at the ports. */
export interface JobUsage {
  readRequestUnits: number;
  writeRequestUnits: number;
  kmsSymmetric: number;
  kmsSign: number;
  iotMessages: number;
  rulesTriggered: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
}

/** Dollars per 1,000 jobs, by service and in all. */
export function costPerThousandJobs(usage: JobUsage, prices = US_EAST_1) {
  const per = {
    dynamodb:
      usage.readRequestUnits * prices.dynamoReadRequestUnit +
      usage.writeRequestUnits * prices.dynamoWriteRequestUnit,
    kms: usage.kmsSymmetric * prices.kmsSymmetricRequest + usage.kmsSign * prices.kmsAsymmetricRequest,
    iotCore:
      usage.iotMessages * prices.iotMessage +
      usage.rulesTriggered * (prices.iotRuleTriggered + prices.iotRuleAction),
    lambda: usage.lambdaInvocations * prices.lambdaRequest + usage.lambdaGbSeconds * prices.lambdaGbSecond,
  };
  const thousand = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, v * 1000])) as typeof per;
  const total = Object.values(thousand).reduce((a, b) => a + b, 0);
  return { ...thousand, total, iotJobs: prices.iotJobsExecution * 1000 };
}
