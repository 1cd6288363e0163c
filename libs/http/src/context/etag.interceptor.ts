import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';

/** Command answers carry the stream revision; it is also the ETag, for the next If-Match. */
@Injectable()
export class RevisionETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body) => {
        const revision = (body as { revision?: unknown } | undefined)?.revision;
        if (typeof revision === 'number') context.switchToHttp().getResponse<FastifyReply>().header('ETag', `"${revision}"`);
        return body;
      }),
    );
  }
}
