import { allProjections, collectionOf, type Projection } from './index';
import { at, contactCreated, companyCreated, favouriteAdded, log, tagAdded } from './testing/events';
import { expectReplaySafe } from './testing/project';
import { mergedIn } from './testing/scenarios';

/** A bit of everything, so every projection has documents to look at. */
const everything = log([
  ...mergedIn,
  at(200, tagAdded('printer')),
  at(201, favouriteAdded('bob', 'req-1'), 'bob'),
  at(202, contactCreated()),
  at(203, companyCreated()),
]);

const documentsOf = (p: Projection) => [...expectReplaySafe(p, everything).values()] as Record<string, unknown>[];

describe('allProjections', () => {
  it('lists every read model once, each in its own collection', () => {
    expect(allProjections.map((p) => p.name)).toEqual([
      'request-summaries',
      'request-details',
      'request-search',
      'agent-favourites',
      'flagged-messages',
      'contacts',
      'companies',
    ]);
    expect(new Set(allProjections.map(collectionOf)).size).toBe(allProjections.length);
  });

  describe.each(allProjections.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    it('names its indexes uniquely, each over at least one field', () => {
      expect(new Set(p.indexes.map((i) => i.name)).size).toBe(p.indexes.length);
      for (const index of p.indexes) expect(index.fields.length).toBeGreaterThan(0);
    });

    it('indexes fields its documents have, with at most one array field per index', () => {
      const documents = documentsOf(p);
      expect(documents.length).toBeGreaterThan(0);
      for (const document of documents) {
        for (const index of p.indexes) {
          for (const field of index.fields) expect(document).toHaveProperty([field]);
          expect(index.fields.filter((field) => Array.isArray(document[field])).length).toBeLessThanOrEqual(1);
        }
      }
    });

    it('counts by fields its documents have, with at most one array field per counter', () => {
      const counters = p.counters ?? [];
      expect(new Set(counters.map((c) => c.name)).size).toBe(counters.length);
      for (const document of documentsOf(p)) {
        for (const counter of counters) {
          expect(counter.fields.length).toBeGreaterThan(0);
          for (const field of counter.fields) expect(document).toHaveProperty([field]);
          expect(counter.fields.filter((field) => Array.isArray(document[field])).length).toBeLessThanOrEqual(1);
        }
      }
    });

    it('searches only top-level text fields (strings or lists of strings)', () => {
      for (const document of documentsOf(p)) {
        for (const field of p.text?.fields ?? []) {
          const value = document[field];
          const texts = Array.isArray(value) ? value : [value];
          for (const text of texts) expect(text === null || typeof text === 'string').toBe(true);
        }
      }
    });
  });
});
