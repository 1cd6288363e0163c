import { ExpectedRevision, WrongExpectedVersionError } from '../event-store.port';
import { toActualRevision } from './mapping';

/**
 * Recognising the client's errors without loading the client: its CommandError classes carry a `type`
 * discriminator (their `name` is the plain 'Error'), and raw gRPC errors a numeric `code`.
 */
const typeOf = (error: unknown): unknown => (error as { type?: unknown } | null)?.type;
const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** gRPC status codes (from @grpc/grpc-js `status`), repeated here so that nothing loads grpc-js. */
const GRPC = { CANCELLED: 1, UNKNOWN: 2, DEADLINE_EXCEEDED: 4, ABORTED: 10, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14 };

export const isWrongExpectedVersion = (error: unknown): boolean => typeOf(error) === 'wrong-expected-version';

export const isStreamNotFound = (error: unknown): boolean => typeOf(error) === 'stream-not-found';

/** The client's UnsupportedError (feature check failed), or a server answering UNIMPLEMENTED. */
export const isUnsupported = (error: unknown): boolean =>
  typeOf(error) === 'unsupported' || codeOf(error) === GRPC.UNIMPLEMENTED;

/** The fields of the client's WrongExpectedVersionError (1.x names). */
interface ClientWrongExpectedVersion {
  readonly streamName?: string;
  readonly actualState?: unknown;
}

/** The stream a client WrongExpectedVersionError is about, if it says. */
export const conflictStreamOf = (error: unknown): string | undefined =>
  (error as ClientWrongExpectedVersion).streamName || undefined;

/** The port's error for a client WrongExpectedVersionError on `write`: the port's expected value, the actual revision. */
export function toPortWrongExpectedVersion(
  error: unknown,
  write: { readonly streamId: string; readonly expected: ExpectedRevision },
): WrongExpectedVersionError {
  return new WrongExpectedVersionError(
    write.streamId,
    write.expected,
    toActualRevision((error as ClientWrongExpectedVersion).actualState),
  );
}

/** The server lacks a feature the adapter needs; nothing was written. */
export class UnsupportedServerError extends Error {
  constructor(
    readonly feature: string,
    readonly minimumServerVersion: string,
    detail: string,
    override readonly cause?: unknown,
  ) {
    super(`${feature} needs KurrentDB ${minimumServerVersion} or later; ${detail}`);
    this.name = 'UnsupportedServerError';
  }
}

/**
 * Whether a dropped subscription is worth resubscribing: the server or the network went away, the node lost
 * leadership, the server dropped a slow consumer, a deadline passed. Access denied, bad arguments and
 * anything that is not a client/gRPC error (a bug here, a malformed event) end the subscription instead.
 */
export function isTransientSubscriptionError(error: unknown): boolean {
  const type = typeOf(error);
  if (typeof type === 'string') {
    return ['unavailable', 'cancelled', 'deadline-exceeded', 'timeout', 'not-leader', 'unknown'].includes(type);
  }
  const code = codeOf(error);
  if (typeof code === 'number') {
    return [GRPC.CANCELLED, GRPC.UNKNOWN, GRPC.DEADLINE_EXCEEDED, GRPC.ABORTED, GRPC.INTERNAL, GRPC.UNAVAILABLE].includes(code);
  }
  // Node's stream machinery, when the transport closes under a subscription.
  return code === 'ERR_STREAM_PREMATURE_CLOSE';
}
