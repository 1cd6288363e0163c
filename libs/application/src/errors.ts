/** Errors of the application layer (the domain has RuleViolation). The HTTP layer maps each to a status. */
export abstract class ApplicationError extends Error {
  abstract readonly code: string;
}

/** The resource the caller addressed does not exist (404). */
export class ResourceNotFound extends ApplicationError {
  readonly code = 'not-found';
  constructor(message: string) {
    super(message);
  }
}

/** If-Match named a revision the stream is no longer at (412). */
export class PreconditionFailed extends ApplicationError {
  readonly code = 'revision-mismatch';
  constructor(
    readonly expected: bigint,
    readonly actual: bigint | undefined,
  ) {
    super(`The resource is at revision ${actual ?? 'none'}, not ${expected}; reload it and try again`);
  }
}

/** Other commands kept changing the same stream; the bounded retries ran out (409). */
export class ConcurrencyConflict extends ApplicationError {
  readonly code = 'concurrent-modification';
  constructor(streamId: string) {
    super(`${streamId} was changed by concurrent commands; try again`);
  }
}

/** The same Idempotency-Key came back with a different request (422, as the IETF draft says). */
export class IdempotencyKeyReused extends ApplicationError {
  readonly code = 'idempotency-key-reused';
  constructor() {
    super('This Idempotency-Key was already used for a different request');
  }
}

/** Input that names something that does not exist, inside an otherwise valid body (422). */
export class UnknownReference extends ApplicationError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The read models did not reach the position the caller asked for in time (503, retry shortly). */
export class ReadModelBehind extends ApplicationError {
  readonly code = 'read-model-behind';
  constructor(
    readonly wanted: bigint,
    readonly reached: bigint | undefined,
  ) {
    super(`The read models are at position ${reached ?? 'none'}, not yet at ${wanted}; retry in a moment`);
  }
}

/** A query parameter that is well-formed but cannot be answered (e.g. an unknown view) (400). */
export class InvalidQuery extends ApplicationError {
  readonly code = 'invalid-query';
  constructor(message: string) {
    super(message);
  }
}
