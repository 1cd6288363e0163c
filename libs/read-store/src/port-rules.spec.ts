import { describe, expect, it } from '@jest/globals';
import { Filter } from './document-store.port';
import { normaliseFilter, validateDefinition } from './port-rules';

/** The port's rules, the same for every adapter: both validate with port-rules.ts. */
describe('port rules', () => {
  describe('filters', () => {
    it('orders conditions by field, whatever the order given (equal filters, equal shapes)', () => {
      expect(normaliseFilter({ status: 'open', ownerId: null }).map((c) => c.field)).toEqual(['ownerId', 'status']);
      expect(normaliseFilter({ a: { in: ['x', 'x', 'y'] } })).toEqual([{ field: 'a', values: ['x', 'y'] }]);
      expect(normaliseFilter({ a: { gte: 1, lt: 5 } })).toEqual([
        { field: 'a', lower: { value: 1, inclusive: true }, upper: { value: 5, inclusive: false } },
      ]);
      expect(normaliseFilter(undefined)).toEqual([]);
    });

    it('refuses what the port does not describe, with a TypeError', () => {
      const refused: unknown[] = [
        { a: { gtee: 1 } },
        { a: {} },
        { a: { in: 'x' } },
        { a: { eq: 1, in: [1] } },
        { a: { gt: 1, gte: 1 } },
        { a: { lt: 1, lte: 1 } },
        { a: { gt: 1, lt: 'z' } },
        { a: { gt: null } },
        { a: { gt: Number.NaN } },
        { a: Number.POSITIVE_INFINITY },
        { a: [1, 2] },
        { 'a.b': 1 },
        { $where: 'x' },
        { a: { in: [{}] } },
        [],
        'status',
      ];
      for (const filter of refused) expect(() => normaliseFilter(filter as Filter)).toThrow(TypeError);
    });
  });

  describe('collection definitions', () => {
    it('copies what it validates', () => {
      const indexes = [{ name: 'by_status', fields: ['status', 'updatedAt'] }];
      const valid = validateDefinition({ name: 'tickets', indexes, text: { fields: ['subject'] } });
      expect(valid).toEqual({ name: 'tickets', indexes, counters: [], text: { fields: ['subject'] } });
      expect(valid.indexes[0]).not.toBe(indexes[0]);
    });

    it('refuses bad names, repeated or too many fields, and empty text', () => {
      const refused: unknown[] = [
        { name: 'a.b', indexes: [] },
        { name: 'x', indexes: [{ name: 'i', fields: [] }] },
        { name: 'x', indexes: [{ name: 'i', fields: ['a', 'a'] }] },
        { name: 'x', indexes: [{ name: 'i', fields: Array.from({ length: 9 }, (_, i) => `f${i}`) }] },
        { name: 'x', indexes: [{ name: 'i', fields: ['a'] }, { name: 'i', fields: ['b'] }] },
        { name: 'x', indexes: [], counters: [{ name: 'c', fields: ['a.b'] }] },
        { name: 'x', indexes: [], text: { fields: [] } },
      ];
      for (const definition of refused) expect(() => validateDefinition(definition as never)).toThrow(TypeError);
    });
  });
});
