/**
 * What a run used, counted at the ports (docs/benchmarks.md, "Cost per job"): DynamoDB
 * request units and calls, KMS requests by kind, IoT messages with their 5 KB metering
 * units. The recording wrappers (metered-table.ts, metered-ports.ts) add to a meter;
 * the cost benchmark reads it per job and prices it (aws-prices.ts).
 */
export type UsageKind =
  | 'ddb.rru'
  | 'ddb.wru'
  | 'ddb.reads'
  | 'ddb.writes'
  | 'ddb.queries'
  | 'kms.sign'
  | 'kms.encrypt'
  | 'kms.decrypt'
  | 'iot.publishes'
  | 'iot.messages';

export class UsageMeter {
  private readonly counts = new Map<string, number>();

  add(kind: UsageKind, amount = 1, detail?: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + amount);
    if (detail !== undefined) {
      const key = `${kind}:${detail}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + amount);
    }
  }

  get(kind: UsageKind | `${UsageKind}:${string}`): number {
    return this.counts.get(kind) ?? 0;
  }

  /** Every count, by kind and by `kind:detail` (e.g. `kms.sign:cardfleet-job+jws`). */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  reset(): void {
    this.counts.clear();
  }
}
