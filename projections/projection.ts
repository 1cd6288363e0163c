import type { CounterDefinition, IndexDefinition } from '@helpdesk/read-store';

/** An event as projections see it: the stored event with its place in the log. */
export interface ProjectedEvent<Type extends string = string, Data = any> {
  readonly type: Type;
  readonly data: Data;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  /** actorId, actorRole, channel, occurredAt, correlationId ... as the write side stored them. */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly recordedAt: string;
}

/** Every projected document carries the position of the last event applied to it. */
export interface Projected {
  readonly _position: number;
}

/**
 * A read model: a pure function from (document or nothing, event) to (document or nothing), keyed by
 * document id. Returning null deletes the document. `version` goes up whenever evolve or the document
 * shape changes: the runner then rebuilds it into a new collection while the old one keeps serving.
 */
export interface Projection<D extends object = object> {
  readonly name: string;
  readonly version: number;
  /** The event types it reads; the runner gives it no others. */
  readonly handles: readonly string[];
  /** The document an event belongs to, or undefined when this event changes none. */
  readonly id: (event: ProjectedEvent) => string | undefined;
  readonly evolve: (document: D | null, event: ProjectedEvent) => D | null;
  readonly indexes: readonly IndexDefinition[];
  /** Exact counts the store keeps current (dashboard tiles, list counts) — see CounterDefinition. */
  readonly counters?: readonly CounterDefinition[];
  readonly text?: { readonly fields: readonly string[] };
}

/**
 * Defines a projection whose evolve is idempotent by construction: an event at or below the
 * document's `_position` was already applied and changes nothing. That is what makes a replayed event
 * a no-op even where the store cannot commit documents and checkpoint together.
 *
 * An evolve that writes `_position: event.position` into the new document itself has it taken as it
 * is; any other gets a copy with the position added. The request read models do the former: copying
 * every field of a document once more per event was a good part of a rebuild's time.
 */
export const projection = <D extends object>(definition: Projection<D>): Projection<D & Projected> => ({
  ...definition,
  evolve: (document, event) => {
    if (document && document._position >= event.position) return document;
    const next = definition.evolve(document, event);
    if (next === null) return null;
    return (next as Partial<Projected>)._position === event.position ? (next as D & Projected) : { ...next, _position: event.position };
  },
});

/** The collection a projection version lives in. */
export const collectionOf = (p: Pick<Projection, 'name' | 'version'>): string => `${p.name.replace(/-/g, '_')}_v${p.version}`;
