import type { Projection } from '@helpdesk/projections';
import type { DocumentStore } from '../document-store.port';
import { ProjectionRegistry } from './projection-registry';

/**
 * How far the projections are, for a process that does not run them (the API when a separate
 * projector does): the lowest checkpoint of the active collections, read from the read store. Waiting
 * polls it while someone waits, and only then.
 */
export class CheckpointProgress {
  private readonly registry: ProjectionRegistry;
  private last: bigint | undefined;

  constructor(
    private readonly documents: DocumentStore,
    private readonly projections: readonly Projection[],
    private readonly pollMs = 25,
  ) {
    this.registry = new ProjectionRegistry(documents);
  }

  position(): bigint | undefined {
    return this.last;
  }

  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reached = await this.read();
      if (reached !== undefined && reached >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollMs, Math.max(deadline - Date.now(), 1))));
    }
  }

  current(): Promise<bigint | undefined> {
    return this.read();
  }

  private async read(): Promise<bigint | undefined> {
    let lowest: bigint | undefined;
    for (const projection of this.projections) {
      const checkpoint = await this.documents.checkpoint(await this.registry.activeCollection(projection));
      if (checkpoint === undefined) return (this.last = undefined);
      if (lowest === undefined || checkpoint < lowest) lowest = checkpoint;
    }
    return (this.last = lowest);
  }
}
