import { describe, expect, it } from 'vitest';
import { CreateReleaseSchema, ReleaseThresholdsSchema } from './release-schemas';

describe('release requests', () => {
  it('takes a canary stage then every office, and refuses "*" before the last stage', () => {
    expect(CreateReleaseSchema.safeParse({ stages: [['berlin'], ['*']] }).success).toBe(true);
    expect(CreateReleaseSchema.safeParse({ stages: [['*'], ['berlin']] }).success).toBe(false);
    expect(CreateReleaseSchema.safeParse({ stages: [] }).success).toBe(false);
    expect(CreateReleaseSchema.safeParse({ stages: [['bad#office']] }).success).toBe(false);
  });

  it('refuses thresholds out of range', () => {
    expect(ReleaseThresholdsSchema.partial().safeParse({ windowMaxFailureRate: 1.5 }).success).toBe(false);
    expect(ReleaseThresholdsSchema.partial().safeParse({ firstJobs: 0 }).success).toBe(false);
  });
});
