import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { reconnectWithBackoff } from './reconnect-backoff';

describe('reconnect with backoff', () => {
  it('doubles the wait after each attempt up to the maximum, with jitter, and resets on connect', () => {
    const client = Object.assign(new EventEmitter(), { options: { reconnectPeriod: 0 } });
    reconnectWithBackoff(client as never, { minMs: 1000, maxMs: 8000, random: () => 1 });
    expect(client.options.reconnectPeriod).toBe(1000);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      client.emit('reconnect');
      waits.push(client.options.reconnectPeriod);
    }
    expect(waits).toEqual([2000, 4000, 8000, 8000, 8000]);
    client.emit('connect');
    expect(client.options.reconnectPeriod).toBe(1000);
    reconnectWithBackoff(client as never, { minMs: 1000, maxMs: 8000, random: () => 0 });
    client.emit('reconnect');
    expect(client.options.reconnectPeriod).toBe(1000); // 2000 with the lowest jitter
  });
});
