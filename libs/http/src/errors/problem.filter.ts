import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RuleViolation, type RuleKind } from '@helpdesk/domain';
import {
  ApplicationError,
  ConcurrencyConflict,
  IdempotencyKeyReused,
  InvalidQuery,
  PreconditionFailed,
  ReadModelBehind,
  ResourceNotFound,
  UnknownReference,
} from '@helpdesk/application';
import { InvalidCursorError, UnindexedQueryError } from '@helpdesk/read-store';
import { problem, type FieldError, type Problem } from './problem';

const RULE_STATUS: Record<RuleKind, number> = { conflict: 409, invalid: 422, forbidden: 403, 'not-found': 404 };

/** Turns anything thrown into application/problem+json. Unknown errors become a 500 that reveals nothing. */
export const toProblem = (error: unknown): Problem => {
  if (error instanceof RuleViolation) return problem(RULE_STATUS[error.kind], error.code, error.message);
  if (error instanceof ApplicationError) return problem(applicationStatus(error), error.code, error.message);
  if (error instanceof HttpException) return fromHttpException(error);
  if (error instanceof InvalidCursorError) return problem(400, 'invalid-cursor', error.message);
  // Filters are the client's choice; a combination no index serves is refused rather than scanned.
  if (error instanceof UnindexedQueryError) return problem(400, 'unsupported-query', error.message);
  const fastify = error as { statusCode?: number; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const message = fastify.message ?? 'Bad request';
    return problem(fastify.statusCode, httpCode(fastify.statusCode, message, false), message);
  }
  return problem(500, 'internal-error', 'Something went wrong on our side; nothing was written by this request');
};

const applicationStatus = (error: ApplicationError): number => {
  if (error instanceof ResourceNotFound) return 404;
  if (error instanceof PreconditionFailed) return 412;
  if (error instanceof ConcurrencyConflict) return 409;
  if (error instanceof IdempotencyKeyReused) return 422;
  if (error instanceof UnknownReference) return 422;
  if (error instanceof InvalidQuery) return 400;
  if (error instanceof ReadModelBehind) return 503;
  return 500;
};

const HTTP_CODES: Record<number, string> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/** A stable code for errors that did not bring one (Nest's own, or fastify's, which Nest wraps). */
const httpCode = (status: number, message: string, hasFieldErrors: boolean): string => {
  if (status === 400) return hasFieldErrors ? 'validation-failed' : /json|body/i.test(message) ? 'malformed-body' : 'bad-request';
  return HTTP_CODES[status] ?? 'http-error';
};

const fromHttpException = (error: HttpException): Problem => {
  const status = error.getStatus();
  const response = error.getResponse();
  const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const errors = Array.isArray(body['errors']) ? (body['errors'] as FieldError[]) : undefined;
  const message = typeof body['message'] === 'string' ? body['message'] : Array.isArray(body['message']) ? body['message'].join('; ') : error.message;
  const code = typeof body['code'] === 'string' ? body['code'] : httpCode(status, message, errors !== undefined);
  return problem(status, code, message, errors);
};

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = toProblem(error);
    if (body.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (body.status === 503) void reply.header('Retry-After', '1');
    void reply.status(body.status).header('content-type', 'application/problem+json').send(body);
  }
}
