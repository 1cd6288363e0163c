import { createHash, randomUUID } from 'node:crypto';
import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Channel } from '@helpdesk/domain';
import type { CommandContext } from '@helpdesk/application';
import type { AuthenticatedRequest } from '../auth/auth.guard';

interface HttpRequest extends AuthenticatedRequest {
  method: string;
  url: string;
  body?: unknown;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const CHANNELS: readonly Channel[] = ['api', 'phone', 'email', 'web'];

const header = (request: HttpRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `If-Match: "12"` (also W/"12" or 12) -> 12n. `*` means "any revision", i.e. no check. */
export const parseIfMatch = (value: string | undefined): bigint | undefined => {
  if (value === undefined || value.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,18})"?\s*$/.exec(value);
  if (!match) throw new BadRequestException({ message: 'If-Match must be an ETag this API returned, e.g. "3"', errors: [{ field: 'If-Match', reason: 'not a revision ETag' }] });
  return BigInt(match[1]!);
};

/**
 * The command's context from the HTTP request: the authenticated actor (never a body field), the
 * channel, correlation id, If-Match revision and Idempotency-Key. The key's fingerprint covers the
 * method, path and body, so the same key with a different request is recognised and refused.
 */
export const CommandCtx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<HttpRequest>();
  if (!request.actor) throw new Error('CommandCtx used on a route without authentication');

  const key = header(request, 'idempotency-key');
  if (key !== undefined && !KEY_PATTERN.test(key)) {
    throw new BadRequestException({ message: 'Idempotency-Key must be 1-255 visible ASCII characters', errors: [{ field: 'Idempotency-Key', reason: 'invalid format' }] });
  }
  const channel = (header(request, 'x-channel') ?? 'api') as Channel;
  if (!CHANNELS.includes(channel)) {
    throw new BadRequestException({ message: `X-Channel must be one of ${CHANNELS.join(', ')}`, errors: [{ field: 'X-Channel', reason: 'unknown channel' }] });
  }
  const correlationId = header(request, 'x-correlation-id');
  return {
    actor: request.actor,
    channel,
    correlationId: correlationId && KEY_PATTERN.test(correlationId) ? correlationId : randomUUID(),
    now: new Date(),
    expectedRevision: parseIfMatch(header(request, 'if-match')),
    ...(key !== undefined
      ? { idempotency: { key, fingerprint: createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex') } }
      : {}),
  };
});

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<HttpRequest>().actor;
});
