import { describe, expect, it } from '@jest/globals';
import { Long } from 'mongodb';
import { MAX_POSITION, positionFromStored, positionToLong } from './positions';

describe('positions as BSON Long', () => {
  it('round-trip every int64 position exactly, beyond 2^53 too', () => {
    for (const position of [0n, 1n, 17n, 2n ** 53n + 1n, 2n ** 62n + 12345n, MAX_POSITION]) {
      const long = positionToLong(Long, position);
      expect(Long.isLong(long)).toBe(true);
      expect(long.toString()).toBe(position.toString());
      expect(positionFromStored(Long, long)).toBe(position);
    }
  });

  it('compare numerically as stored (a string would put "10" before "9")', () => {
    expect(positionToLong(Long, 9n).lessThan(positionToLong(Long, 10n))).toBe(true);
    expect(positionToLong(Long, 2n ** 62n).greaterThan(positionToLong(Long, 2n ** 53n))).toBe(true);
  });

  it('read back what the driver may make of a stored Long: a number (promoteLongs), a bigint (useBigInt64), a Long', () => {
    expect(positionFromStored(Long, 17)).toBe(17n);
    expect(positionFromStored(Long, 17n)).toBe(17n);
    expect(positionFromStored(Long, Long.fromString('9223372036854775807'))).toBe(MAX_POSITION);
    for (const bad of [1.5, Number.MAX_SAFE_INTEGER + 2, '17', null, undefined]) expect(() => positionFromStored(Long, bad)).toThrow(TypeError);
  });

  it('refuse what is not a position', () => {
    for (const bad of [-1n, MAX_POSITION + 1n, 17, '17']) expect(() => positionToLong(Long, bad as bigint)).toThrow(TypeError);
  });
});
