'use strict';
/**
 * Preloaded into a server process (NODE_OPTIONS="--require <this file>") to run it as if it were another
 * time: `new Date()` and `Date.now()` are moved by TEST_CLOCK_OFFSET_MS (negative: the past). The server
 * has no clock setting of its own, and deadlines are whole minutes from creation, so "deadline passed"
 * is staged by writing requests through a server living days ago, then reading them through one living now.
 * Date(...) with arguments, Date.parse and Date.UTC are untouched.
 */
const offset = Number(process.env.TEST_CLOCK_OFFSET_MS || '0');
if (!Number.isFinite(offset)) throw new Error(`TEST_CLOCK_OFFSET_MS is not a number: ${process.env.TEST_CLOCK_OFFSET_MS}`);
if (offset !== 0) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
