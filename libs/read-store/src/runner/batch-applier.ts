import type { Projection, ProjectedEvent } from '@helpdesk/projections';
import type { DocumentStore } from '../document-store.port';

/** A projection and the collection it writes to (the active one, or one being rebuilt). */
export interface ProjectionTarget {
  readonly projection: Projection;
  readonly collection: string;
  /** Events at or below this position were applied already (the collection's checkpoint). */
  checkpoint: bigint | undefined;
}

/**
 * Applies a batch of events to several projections in ONE transaction of the document store: the
 * documents and every target's checkpoint are committed together, so a crash at any point neither
 * loses an event nor applies one twice. Within a batch, a document is read once and written once.
 */
export class BatchApplier {
  constructor(private readonly documents: DocumentStore) {}

  async apply(targets: readonly ProjectionTarget[], events: readonly ProjectedEvent[], through: bigint): Promise<void> {
    await this.documents.transaction(async (writer) => {
      for (const target of targets) {
        const { projection, collection } = target;
        const after = target.checkpoint === undefined ? -1 : Number(target.checkpoint);
        const handled = handledTypes(projection);
        const changed = new Map<string, object | null>();
        for (const event of events) {
          if (event.position <= after || !handled.has(event.type)) continue;
          const id = projection.id(event);
          if (id === undefined) continue;
          const current = changed.has(id) ? changed.get(id)! : ((await writer.get<object>(collection, id)) ?? null);
          changed.set(id, projection.evolve(current, event));
        }
        for (const [id, document] of changed) {
          if (document === null) writer.delete(collection, id);
          else writer.upsert(collection, id, document);
        }
        // Compare-and-set: if another projector instance applied these events meanwhile, nothing of this
        // batch is written and the runner re-reads where things stand.
        writer.setCheckpoint(collection, through, target.checkpoint ?? null);
      }
    });
    for (const target of targets) target.checkpoint = through;
  }
}

const handledCache = new WeakMap<Projection, ReadonlySet<string>>();
const handledTypes = (projection: Projection): ReadonlySet<string> => {
  let types = handledCache.get(projection);
  if (!types) handledCache.set(projection, (types = new Set(projection.handles)));
  return types;
};
