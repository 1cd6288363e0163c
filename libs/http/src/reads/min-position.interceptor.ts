import { BadRequestException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import { ReadConsistency } from '@helpdesk/application';

/**
 * Read-your-writes for every read route: `X-Min-Position: <position>` (or `?minPosition=`), the
 * position a command answered with, makes the read wait until the projections have applied it.
 * The answer says how far the read models were (`X-Read-Position`).
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(private readonly consistency: ReadConsistency) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const raw = request.headers['x-min-position'] ?? (request.query as Record<string, string | undefined>)['minPosition'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && !/^\d{1,18}$/.test(value)) {
      throw new BadRequestException({ code: 'validation-failed', message: 'X-Min-Position must be a position a command returned', errors: [{ field: 'X-Min-Position', reason: 'not a position' }] });
    }
    return from(this.consistency.atLeast(value === undefined ? undefined : BigInt(value))).pipe(
      switchMap(() => {
        const reached = this.consistency.position();
        if (reached !== undefined) http.getResponse<FastifyReply>().header('X-Read-Position', reached.toString());
        return next.handle();
      }),
    );
  }
}
