import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RESUBSCRIBE_POLICY, resubscribeDelay, resubscribePolicy } from './backoff';

describe('resubscribe backoff policy', () => {
  const noJitter = resubscribePolicy({ jitter: 0 });

  it('grows exponentially from the initial delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => resubscribeDelay(attempt, noJitter))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('spreads each delay over ±jitter, never beyond the cap', () => {
    const policy = DEFAULT_RESUBSCRIBE_POLICY; // jitter 0.2
    expect(resubscribeDelay(1, policy, () => 0)).toBe(80);
    expect(resubscribeDelay(1, policy, () => 0.5)).toBe(100);
    expect(resubscribeDelay(1, policy, () => 1)).toBe(120);
    expect(resubscribeDelay(10, policy, () => 1)).toBe(5000);
    expect(resubscribeDelay(10, policy, () => 0)).toBe(4000);
  });

  it('retries forever by default', () => {
    expect(DEFAULT_RESUBSCRIBE_POLICY.maxAttempts).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps the default for an option given as undefined', () => {
    expect(resubscribePolicy({ maxAttempts: undefined, jitter: 0 })).toMatchObject({ maxAttempts: Number.POSITIVE_INFINITY, jitter: 0 });
  });

  it('refuses nonsense', () => {
    expect(() => resubscribePolicy({ factor: 0.5 })).toThrow(RangeError);
    expect(() => resubscribePolicy({ maxDelayMs: 10, initialDelayMs: 20 })).toThrow(RangeError);
    expect(() => resubscribePolicy({ jitter: 2 })).toThrow(RangeError);
    expect(() => resubscribePolicy({ maxAttempts: 0 })).toThrow(RangeError);
  });
});
