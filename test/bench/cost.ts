import {
  costPerThousandJobs,
  type JobUsage,
  PRICES_READ_ON,
  US_EAST_1,
} from '../../cloud/src/metering/aws-prices';
import { IOT_METERING_BYTES } from '../../cloud/src/metering/metered-ports';
import { type LocalStack, startLocalStack } from './local-stack';

/**
 * Cost per job, measured (docs/benchmarks.md, "Cost per job"): N jobs from POST /v1/jobs
 * to the stored result through the local stack (local-stack.ts: dynalite, Aedes, a
 * real agent daemon with an in-process CardOS card), counting at the ports what AWS
 * would bill — DynamoDB request units, KMS requests by kind, IoT Core messages in 5 KB
 * units, topic-rule runs and Lambda invocations — and pricing them at US East list
 * prices (cloud/src/metering/aws-prices.ts), beside AWS IoT Jobs' price per execution.
 * Two encodings: read-serial (no secrets) and change-key (secret fields sealed at rest).
 * Prints figures; asserts nothing.
 */
const N = Number(process.env.BENCH_COST_JOBS ?? 50);
const LAMBDA_GB = 0.5; // the functions' memory in sst.config.ts terms: 512 MB

const KEY = '404142434445464748494A4B4C4D4E4F'; // examples/cards/cardos.json, key 8
const SCENARIOS = {
  'read-serial': {},
  // The key is "changed" to itself, so every job finds the card as the first did.
  'change-key': { ADMIN_KEY: KEY, NEW_KEY: KEY },
} as const;

/** IoT Core messages per broker message of a kind, as AWS meters the path it takes in AWS. */
function iotUsage(stack: LocalStack) {
  let messages = 0;
  let rules = 0;
  for (const [kind, seen] of stack.traffic) {
    const units = seen.sizes.reduce((n, size) => n + Math.max(1, Math.ceil(size / IOT_METERING_BYTES)), 0);
    if (kind === 'jobs' || kind === 'acks') {
      // The cloud publishes over the HTTPS data plane (metered request), IoT Core
      // delivers it (metered PUBLISH) and the agent's QoS 1 PUBACK is one more message.
      messages += 2 * units + seen.messages;
    } else {
      // From the agent: the inbound PUBLISH, then one topic-rule run into the Lambda.
      messages += units;
      rules += seen.messages;
    }
  }
  return { messages, rules };
}

async function runScenario(stack: LocalStack, encodingId: keyof typeof SCENARIOS) {
  const fields = SCENARIOS[encodingId];
  const post = async () => {
    const response = await stack.call('POST', '/v1/jobs', { agentId: 'cost-agent', encodingId, fields });
    if (response.status !== 202)
      throw new Error(`POST /v1/jobs: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { jobId: string }).jobId;
  };
  for (let i = 0; i < 3; i++) await stack.storedResult(await post()); // warm caches and sessions
  stack.meter.reset();
  stack.traffic.clear();
  stack.handlerMs.results = 0;
  stack.handlerMs.progress = 0;
  let postMs = 0;
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const jobId = await post();
    postMs += performance.now() - t;
    await stack.storedResult(jobId);
  }
  await new Promise((r) => setTimeout(r, 300)); // the last acks reach the tap
  const m = stack.meter;
  const iot = iotUsage(stack);
  const usage: JobUsage = {
    readRequestUnits: m.get('ddb.rru') / N,
    writeRequestUnits: m.get('ddb.wru') / N,
    kmsSymmetric: (m.get('kms.encrypt') + m.get('kms.decrypt')) / N,
    kmsSign: m.get('kms.sign') / N,
    iotMessages: iot.messages / N,
    rulesTriggered: iot.rules / N,
    lambdaInvocations: 1 + iot.rules / N,
    lambdaGbSeconds: ((postMs + stack.handlerMs.results + stack.handlerMs.progress) / 1000 / N) * LAMBDA_GB,
  };
  const signs = Object.fromEntries(
    Object.entries(m.snapshot())
      .filter(([k]) => k.startsWith('kms.sign:'))
      .map(([k, v]) => [k.slice('kms.sign:'.length), v / N]),
  );
  return {
    encodingId,
    usage,
    perJob: {
      table: Object.fromEntries(
        Object.entries(m.snapshot())
          .filter(([k]) => k.startsWith('ddb.') && k.includes(':'))
          .map(([k, v]) => [k.slice(4), v / N]),
      ),
      kmsSignByType: signs,
      kmsEncrypt: m.get('kms.encrypt') / N,
      kmsDecrypt: m.get('kms.decrypt') / N,
      brokerMessages: Object.fromEntries([...stack.traffic].map(([k, v]) => [k, v.messages / N])),
    },
    cost: costPerThousandJobs(usage),
  };
}

export async function costBenchmark(): Promise<Record<string, unknown>> {
  const stack = await startLocalStack();
  try {
    for (const id of Object.keys(SCENARIOS)) await stack.push(id);
    await stack.agent('cost-agent');
    const results = [];
    for (const id of Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[])
      results.push(await runScenario(stack, id));
    const round = (n: number, d = 2) => Number(n.toFixed(d));
    console.log(`\ncost per job: ${N} jobs each, POST /v1/jobs → stored result (local stack, metered ports)`);
    console.table(
      results.map((r) => ({
        encoding: r.encodingId,
        RRU: round(r.usage.readRequestUnits),
        WRU: round(r.usage.writeRequestUnits),
        'KMS Sign': round(r.usage.kmsSign),
        'KMS Enc/Dec': round(r.usage.kmsSymmetric),
        'IoT msgs': round(r.usage.iotMessages),
        rules: round(r.usage.rulesTriggered),
        lambdas: round(r.usage.lambdaInvocations),
        'GB-s': round(r.usage.lambdaGbSeconds, 4),
      })),
    );
    console.log(`US East list prices read ${PRICES_READ_ON}, $ per 1,000 jobs`);
    console.table(
      results.map((r) => ({
        encoding: r.encodingId,
        DynamoDB: round(r.cost.dynamodb, 4),
        KMS: round(r.cost.kms, 4),
        'IoT Core': round(r.cost.iotCore, 4),
        Lambda: round(r.cost.lambda, 4),
        total: round(r.cost.total, 4),
        'AWS IoT Jobs (execution only)': r.cost.iotJobs,
      })),
    );
    for (const r of results) console.log(r.encodingId, JSON.stringify(r.perJob));
    const agentMonth = 60 * 24 * 30 * US_EAST_1.iotConnectionMinute;
    console.log(`connectivity: $${agentMonth.toFixed(4)} per agent per month connected (not per job)`);
    return {
      benchmark: 'cost',
      jobs: N,
      pricesReadOn: PRICES_READ_ON,
      results,
      connectivityPerAgentMonth: agentMonth,
    };
  } finally {
    await stack.close();
  }
}
