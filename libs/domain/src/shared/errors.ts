/**
 * How a broken rule should be reported:
 * - conflict: the request is in the wrong state for this command (HTTP 409);
 * - invalid: the command contradicts a rule whatever the state (HTTP 422);
 * - forbidden: the actor may not do this (HTTP 403);
 * - not-found: the command names something that does not exist (HTTP 404 for the addressed resource).
 */
export type RuleKind = 'conflict' | 'invalid' | 'forbidden' | 'not-found';

/** A business rule said no. `code` is stable (it becomes the problem type); `message` is for people. */
export class RuleViolation extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: RuleKind = 'conflict',
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}

export const conflict = (code: string, message: string) => new RuleViolation(code, message, 'conflict');
export const invalid = (code: string, message: string) => new RuleViolation(code, message, 'invalid');
export const forbidden = (code: string, message: string) => new RuleViolation(code, message, 'forbidden');
export const notFound = (code: string, message: string) => new RuleViolation(code, message, 'not-found');

/** Compile-time exhaustiveness check for switches over unions. */
export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
