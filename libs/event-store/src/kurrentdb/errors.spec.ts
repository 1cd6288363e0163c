import { describe, expect, it } from '@jest/globals';
// The client's own error classes. This file of the client loads grpc-js and protobuf code, not the native bridge.
import {
  AccessDeniedError,
  StreamNotFoundError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
} from '@kurrent/kurrentdb-client/dist/utils/CommandError';
import { WrongExpectedVersionError } from '../event-store.port';
import {
  conflictStreamOf,
  isStreamNotFound,
  isTransientSubscriptionError,
  isUnsupported,
  isWrongExpectedVersion,
  toPortWrongExpectedVersion,
} from './errors';

describe('error translation', () => {
  it("maps the client's WrongExpectedVersionError (single append) to the port's, actual revision included", () => {
    const error = new ClientWrongExpectedVersionError(undefined, { streamName: 'request-1', expected: 0n, current: 1n });
    expect(isWrongExpectedVersion(error)).toBe(true);
    expect(conflictStreamOf(error)).toBe('request-1');

    const mapped = toPortWrongExpectedVersion(error, { streamId: 'request-1', expected: 0n });

    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({ streamId: 'request-1', expected: 0n, actual: 1n });
  });

  it("maps a missing stream to actual 'no_stream', and keeps the port's own expected value", () => {
    const error = new ClientWrongExpectedVersionError(undefined, {
      streamName: 's-1',
      expected: 'stream_exists',
      current: 'no_stream',
    });
    expect(toPortWrongExpectedVersion(error, { streamId: 's-1', expected: 'stream_exists' })).toMatchObject({
      expected: 'stream_exists',
      actual: 'no_stream',
    });
  });

  it("maps the multi-stream append's revision conflict (v2 protocol: revisions as strings, -1 = no stream)", () => {
    const onB = ClientWrongExpectedVersionError.fromRevisionConflict({
      stream: 'b-1',
      expectedRevision: '-1',
      actualRevision: '0',
    } as never);
    expect(isWrongExpectedVersion(onB)).toBe(true);
    expect(conflictStreamOf(onB)).toBe('b-1');
    expect(toPortWrongExpectedVersion(onB, { streamId: 'b-1', expected: 'no_stream' })).toMatchObject({ actual: 0n });

    const missing = ClientWrongExpectedVersionError.fromRevisionConflict({
      stream: 'c-1',
      expectedRevision: '-4',
      actualRevision: '-1',
    } as never);
    expect(toPortWrongExpectedVersion(missing, { streamId: 'c-1', expected: 'stream_exists' })).toMatchObject({
      actual: 'no_stream',
    });
  });

  it('recognises a missing stream (thrown while iterating a read)', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'x-1'))).toBe(true);
    expect(isStreamNotFound(new Error('x-1 not found'))).toBe(false);
  });

  it('recognises an unsupported feature: the client check, or UNIMPLEMENTED from the server', () => {
    expect(isUnsupported(new UnsupportedError('multiStreamAppend', '25.1'))).toBe(true);
    expect(isUnsupported(Object.assign(new Error('12 UNIMPLEMENTED'), { code: 12 }))).toBe(true);
    expect(isUnsupported(new UnavailableError())).toBe(false);
  });

  it('resubscribes after transport failures, not after refusals or bugs', () => {
    expect(isTransientSubscriptionError(new UnavailableError())).toBe(true);
    expect(isTransientSubscriptionError(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }))).toBe(true);
    expect(isTransientSubscriptionError(Object.assign(new Error('aborted'), { code: 10 }))).toBe(true);
    expect(isTransientSubscriptionError(Object.assign(new Error('closed'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }))).toBe(
      true,
    );
    expect(isTransientSubscriptionError(new AccessDeniedError())).toBe(false);
    expect(isTransientSubscriptionError(new TypeError('bug'))).toBe(false);
    expect(isTransientSubscriptionError(Object.assign(new Error('perm'), { code: 7 }))).toBe(false);
  });
});
