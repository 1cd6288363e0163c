import { collectionOf, type Projection } from '@helpdesk/projections';
import type { DocumentStore, DocumentWriter } from '../document-store.port';

export const REGISTRY = '_projections';

/** Where a projection's documents are served from, and what is being built to replace them. */
export interface RegistryEntry {
  readonly name: string;
  readonly version: number;
  /** The collection queries read. */
  readonly active: string;
  /** A collection being rebuilt to take over from `active`, if any. */
  readonly building: string | null;
}

/**
 * The blue/green switch. Queries read `active`; a rebuild fills another collection and then swaps
 * the entry in one transaction, so readers go from the old documents to the new ones at once.
 */
export class ProjectionRegistry {
  constructor(private readonly documents: DocumentStore) {}

  async init(): Promise<void> {
    await this.documents.ensureCollection({ name: REGISTRY, indexes: [] });
  }

  entry(name: string): Promise<RegistryEntry | undefined> {
    return this.documents.get<RegistryEntry>(REGISTRY, name);
  }

  /** The collection to serve queries from (the code's version when nothing was registered yet). */
  async activeCollection(projection: Pick<Projection, 'name' | 'version'>): Promise<string> {
    return (await this.entry(projection.name))?.active ?? collectionOf(projection);
  }

  write(writer: DocumentWriter, entry: RegistryEntry): void {
    writer.upsert(REGISTRY, entry.name, entry);
  }
}
