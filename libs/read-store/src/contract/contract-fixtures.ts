import { randomUUID } from 'node:crypto';
import { CollectionDefinition, DocumentStore, Filter, Page, Scalar } from '../document-store.port';

/** A fresh name for a collection or checkpoint: tests never share one, even on a shared server. */
export const aName = (prefix = 'c'): string => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

/** A request as a read model might hold it: the shape every query test uses. */
export interface Ticket {
  readonly id: string;
  readonly number: number;
  readonly status: string;
  readonly ownerId?: string | null;
  readonly updatedAt: string;
  readonly dueAt?: string | null;
  readonly tags?: readonly string[];
  readonly priority?: number;
  readonly subject?: string;
  readonly body?: string | readonly string[];
}

export const ticketIndexes = [
  { name: 'by_status', fields: ['status', 'updatedAt'] },
  { name: 'by_owner', fields: ['ownerId', 'status', 'updatedAt'] },
  { name: 'by_due', fields: ['dueAt'] },
  { name: 'by_number', fields: ['number'] },
  { name: 'by_tag', fields: ['tags', 'updatedAt'] },
] as const;

export const ticketsIn = (name: string): CollectionDefinition => ({
  name,
  indexes: ticketIndexes,
  text: { fields: ['subject', 'body'] },
});

/**
 * Counters for the dashboard's questions: per owner and status (my open, unassigned open), per status, per tag,
 * and one over a field no index names (priority), which only a counter can answer.
 */
export const ticketCounters = [
  { name: 'by_owner_status', fields: ['ownerId', 'status'] },
  { name: 'by_status', fields: ['status'] },
  { name: 'by_tag', fields: ['tags'] },
  { name: 'by_priority_status', fields: ['priority', 'status'] },
] as const;

export const countedTicketsIn = (name: string): CollectionDefinition => ({ ...ticketsIn(name), counters: ticketCounters });

let sequence = 0;

/** A ticket with readable defaults; ids sort in creation order. */
export function aTicket(overrides: Partial<Ticket> = {}): Ticket {
  sequence += 1;
  return {
    id: `t${String(sequence).padStart(6, '0')}`,
    number: sequence,
    status: 'open',
    ownerId: null,
    updatedAt: '2024-03-01T10:00:00.000Z',
    ...overrides,
  };
}

/** An ISO instant `minutes` after a fixed origin. */
export const at = (minutes: number): string => new Date(Date.UTC(2024, 2, 1, 8, 0) + minutes * 60_000).toISOString();

/** Ensures a tickets collection and writes the documents in one transaction. */
export async function ticketsCollection(store: DocumentStore, tickets: readonly Ticket[] = []): Promise<string> {
  const name = aName('tickets');
  await store.ensureCollection(ticketsIn(name));
  if (tickets.length > 0) await put(store, name, tickets);
  return name;
}

/** Ensures a tickets collection with counters and writes the documents in one transaction. */
export async function countedTicketsCollection(store: DocumentStore, tickets: readonly Ticket[] = []): Promise<string> {
  const name = aName('counted');
  await store.ensureCollection(countedTicketsIn(name));
  if (tickets.length > 0) await put(store, name, tickets);
  return name;
}

export async function put<D extends { readonly id: string }>(
  store: DocumentStore,
  collection: string,
  documents: readonly D[],
): Promise<void> {
  await store.transaction(async (writer) => {
    for (const document of documents) writer.upsert(collection, document.id, document);
  });
}

export const idsOf = (documents: readonly { id: string }[]): string[] => documents.map((d) => d.id);

/** Follows nextCursor to the end; counts the pages. */
export async function allPages<T>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 10_000,
): Promise<{ items: T[]; pages: Page<T>[] }> {
  const pages: Page<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > maxPages) throw new Error('Pagination does not end');
  } while (cursor !== undefined);
  return { items: pages.flatMap((p) => p.items), pages };
}

/** The order a query promises: by the key, then by id, both in `direction`. */
export function sortedBy<T extends { id: string }>(
  documents: readonly T[],
  key: (d: T) => string | number | null | undefined,
  direction: 'asc' | 'desc',
): T[] {
  const rank = (v: string | number | null | undefined): [number, string | number] =>
    v === null || v === undefined ? [0, 0] : typeof v === 'number' ? [1, v] : [2, v];
  const compare = (a: T, b: T): number => {
    const [ta, va] = rank(key(a));
    const [tb, vb] = rank(key(b));
    const byKey = ta !== tb ? ta - tb : va < vb ? -1 : va > vb ? 1 : 0;
    return byKey !== 0 ? byKey : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  const sorted = [...documents].sort(compare);
  return direction === 'asc' ? sorted : sorted.reverse();
}

/** A small seeded generator (mulberry32): random data that is the same on every run. */
export function seededRandom(seed: number): { next: () => number; int: (n: number) => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] };
}

type Value = string | number | boolean | null | undefined | readonly unknown[];

/**
 * What the port says a field holds, value by value: an array's distinct elements (an empty one: null), a
 * scalar alone, a missing field as null.
 */
export function elementsOf(value: Value): unknown[] {
  if (Array.isArray(value)) return value.length === 0 ? [null] : [...new Set(value)];
  return [value ?? null];
}

/** Whether a document matches a filter of equality and `in` conditions, as the port defines it. */
export function matchesFilter(document: Readonly<Record<string, unknown>>, filter: Filter): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const wanted =
      condition !== null && typeof condition === 'object' ? (condition.in ?? [condition.eq]) : [condition];
    return elementsOf(document[field] as Value).some((e) => wanted.includes(e as Scalar));
  });
}

/** count, computed from the documents. */
export const modelCount = (documents: readonly object[], filter: Filter = {}): number =>
  documents.filter((d) => matchesFilter(d as Record<string, unknown>, filter)).length;

/** countBy, computed from the documents: per element of `field`, null and missing under "null". */
export function modelCountBy(documents: readonly object[], field: string, filter: Filter = {}): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of documents) {
    if (!matchesFilter(d as Record<string, unknown>, filter)) continue;
    for (const e of elementsOf((d as Record<string, unknown>)[field] as Value)) counts[String(e)] = (counts[String(e)] ?? 0) + 1;
  }
  return counts;
}
