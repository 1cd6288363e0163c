import { Inject, Injectable } from '@nestjs/common';
import { ReadModelBehind } from '../errors';
import { PROJECTION_PROGRESS, type ProjectionProgress } from './read-models';

/**
 * Read-your-writes: a command answers with the position of its events; a read that names it
 * (X-Min-Position) waits until every projection has applied it — bounded, then it says so (503)
 * rather than serve data that silently lacks the caller's own change.
 */
@Injectable()
export class ReadConsistency {
  static readonly MAX_WAIT_MS = 2000;

  constructor(@Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress) {}

  async atLeast(position: bigint | undefined): Promise<void> {
    if (position === undefined) return;
    if (!(await this.progress.waitFor(position, ReadConsistency.MAX_WAIT_MS))) {
      throw new ReadModelBehind(position, this.progress.position());
    }
  }

  position(): bigint | undefined {
    return this.progress.position();
  }
}
