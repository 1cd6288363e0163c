import type { Long } from 'mongodb';
import { assertPosition } from '../port-rules';

/** What converting needs of the driver: its Long class (passed in, so that this file loads nothing). */
export interface LongClass {
  fromBigInt(value: bigint, unsigned?: boolean): Long;
  isLong(value: unknown): value is Long;
}

/** A position is an int64 that is not negative: what the port's checkpoints and the event stores' positions are. */
export { assertPosition, MAX_POSITION } from '../port-rules';

/**
 * A position as stored: a BSON Long (int64), so that `$lt` / `$gt` compare positions numerically (a string would
 * compare "10" < "9"), exactly beyond 2^53 (a double would not).
 */
export function positionToLong(Long: LongClass, position: bigint): Long {
  assertPosition('position', position);
  return Long.fromBigInt(position);
}

/**
 * A stored position back as a bigint, whatever the driver's options made of it: a Long, a bigint (useBigInt64),
 * or a number (promoteLongs turns a Long that fits in 53 bits into one; an int32 comes back as one too).
 */
export function positionFromStored(Long: LongClass, value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (Long.isLong(value)) return value.toBigInt();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`Not a stored position: ${String(value)}`);
}
