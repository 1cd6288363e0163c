import type { Projection, ProjectedEvent } from '../projection';

/**
 * Folds events through a projection as the runner does: only the types it handles, each into the
 * document its id names, null deleting it. `start` holds documents from an earlier fold.
 */
export const project = <D extends object>(
  p: Projection<D>,
  events: readonly ProjectedEvent[],
  start: ReadonlyMap<string, D> = new Map(),
): Map<string, D> => {
  const documents = new Map(start);
  for (const event of events) {
    if (!p.handles.includes(event.type)) continue;
    const id = p.id(event);
    if (id === undefined) continue;
    const next = p.evolve(documents.get(id) ?? null, event);
    if (next === null) documents.delete(id);
    else documents.set(id, next);
  }
  return documents;
};

/** What a document store gives back: JSON, so no undefined fields, no shared references. */
const stored = <D>(documents: ReadonlyMap<string, D>): Map<string, D> =>
  new Map([...documents].map(([id, d]) => [id, JSON.parse(JSON.stringify(d)) as D]));

/**
 * Projects the events, then checks what every projection spec must hold and returns the documents:
 * - replaying all the events again onto the stored documents changes nothing (a redelivered batch);
 * - replaying each event twice in a row gives the same documents (a redelivered event);
 * - a rebuild from scratch gives the same documents (verify);
 * - the documents survive the store unchanged (no undefined fields, plain JSON).
 */
export const expectReplaySafe = <D extends object>(p: Projection<D>, events: readonly ProjectedEvent[]): Map<string, D> => {
  const once = project(p, events);
  // Compared as plain objects: jest compares Map values loosely, so undefined fields would slip through.
  const expected = Object.fromEntries(once);
  expect(Object.fromEntries(stored(once))).toStrictEqual(expected);
  expect(Object.fromEntries(project(p, events, stored(once)))).toStrictEqual(expected);
  expect(Object.fromEntries(project(p, events.flatMap((e) => [e, e])))).toStrictEqual(expected);
  expect(Object.fromEntries(project(p, events))).toStrictEqual(expected);
  return once;
};

/** The one document a spec is about (fails when it does not exist). */
export const documentOf = <D extends object>(documents: ReadonlyMap<string, D>, id: string): D => {
  const document = documents.get(id);
  if (document === undefined) throw new Error(`No document "${id}" among: ${[...documents.keys()].join(', ') || 'none'}`);
  return document;
};

/** expectReplaySafe, then the document with this id. */
export const projectOne = <D extends object>(p: Projection<D>, events: readonly ProjectedEvent[], id: string): D =>
  documentOf(expectReplaySafe(p, events), id);

/**
 * Each version of one document as the events come, in order (one per event that changed it): for
 * specs about what an event leaves as it was. A read model shares what an event does not change.
 */
export const versionsOf = <D extends object>(p: Projection<D>, events: readonly ProjectedEvent[], id: string): D[] => {
  const versions: D[] = [];
  let documents: Map<string, D> = new Map();
  for (const event of events) {
    documents = project(p, [event], documents);
    const document = documents.get(id);
    if (document !== undefined && document !== versions[versions.length - 1]) versions.push(document);
  }
  return versions;
};
