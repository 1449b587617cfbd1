import { describe, expect, it } from 'vitest';
import { bearerMatches, isLoopbackHost } from './console-guard';

describe("the operator console's gates", () => {
  it('answers only requests addressed to its own loopback port (no DNS rebinding)', () => {
    expect(isLoopbackHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isLoopbackHost('localhost:4000', 4000)).toBe(true);
    expect(isLoopbackHost('127.0.0.1:4001', 4000)).toBe(false);
    expect(isLoopbackHost('evil.example:4000', 4000)).toBe(false);
    expect(isLoopbackHost('127.0.0.1', 4000)).toBe(false);
    expect(isLoopbackHost(undefined, 4000)).toBe(false);
  });

  it('lets in only the bearer of the exact console token', () => {
    expect(bearerMatches('Bearer s3cret-token', 's3cret-token')).toBe(true);
    expect(bearerMatches('Bearer s3cret-tokem', 's3cret-token')).toBe(false);
    expect(bearerMatches('Bearer s3cret', 's3cret-token')).toBe(false);
    expect(bearerMatches('Bearer s3cret-token-and-more', 's3cret-token')).toBe(false);
    expect(bearerMatches(undefined, 's3cret-token')).toBe(false);
    expect(bearerMatches('', 's3cret-token')).toBe(false);
  });
});
