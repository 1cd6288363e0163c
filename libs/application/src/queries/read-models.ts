import { Inject, Injectable } from '@nestjs/common';
import { DOCUMENT_STORE, ProjectionRegistry, type DocumentStore, type ProjectionRunner } from '@helpdesk/read-store';
import type { Projection } from '@helpdesk/projections';

export const PROJECTIONS = Symbol('Projections');
export const PROJECTION_RUNNER = Symbol('ProjectionRunner');
/** How far the projections are: the in-process runner, or (projector elsewhere) the read store's checkpoints. */
export const PROJECTION_PROGRESS = Symbol('ProjectionProgress');

export interface ProjectionProgress {
  position(): bigint | undefined;
  waitFor(position: bigint, timeoutMs: number): Promise<boolean>;
  /** Where the read models are right now (read afresh where another process runs the projector). */
  current(): Promise<bigint | undefined>;
}

/** What PROJECTION_RUNNER provides: the projector of this process (in-process, or on a thread of its own). */
export interface Projector extends ProjectionProgress {
  start(): Promise<void>;
  /** Resolves when the version upgrades begun at start are done. */
  upgraded(): Promise<void>;
  stop(): Promise<void>;
}

/** The read models by name: which collection serves each one right now (it changes after a rebuild). */
@Injectable()
export class ReadModels {
  private readonly registry: ProjectionRegistry;
  private readonly byName: Map<string, Projection>;

  constructor(
    @Inject(DOCUMENT_STORE) readonly documents: DocumentStore,
    @Inject(PROJECTIONS) projections: readonly Projection[],
  ) {
    this.registry = new ProjectionRegistry(documents);
    this.byName = new Map(projections.map((p) => [p.name, p]));
  }

  projection(name: string): Projection {
    const projection = this.byName.get(name);
    if (!projection) throw new Error(`No projection ${name}`);
    return projection;
  }

  /**
   * Looked up for every query (one indexed get): right after a rebuild switches collections, no
   * query may go on reading the old one, which the rebuild drops a moment later.
   */
  collection(name: string): Promise<string> {
    return this.registry.activeCollection(this.projection(name));
  }
}

export type { ProjectionRunner };
