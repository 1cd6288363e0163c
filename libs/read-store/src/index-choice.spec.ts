import { UnindexedQueryError } from './document-store.port';
import { chooseForCount, chooseForCountBy, chooseForFind, indexCandidates } from './index-choice';
import { normaliseFilter } from './port-rules';

interface Index {
  readonly name: string;
  readonly fields: readonly string[];
  readonly multikey?: string;
}

const INDEXES: Index[] = [
  { name: 'by_status_deadline', fields: ['statusId', 'deadline'] },
  { name: 'by_owner_updated', fields: ['ownerId', 'updatedAt'] },
  { name: 'by_tag', fields: ['tags', 'updatedAt'], multikey: 'tags' },
];

const plan = (filter: object | undefined) => {
  const conditions = normaliseFilter(filter as never);
  const byField = new Map(conditions.map((c) => [c.field, c]));
  return { conditions, byField, candidates: indexCandidates(INDEXES, (i) => i.multikey, byField) };
};

describe('which index serves a query (the port rule both adapters follow)', () => {
  it('an equality prefix, then the sort', () => {
    const { conditions, byField, candidates } = plan({ ownerId: 'a' });
    const choice = chooseForFind('requests', candidates, conditions, byField, [{ field: 'updatedAt', direction: 'desc' }]);
    expect(choice.candidate?.index.name).toBe('by_owner_updated');
    expect(choice.direction).toBe('desc');
  });

  it('drops a sort on a field held constant by an equality', () => {
    const { conditions, byField, candidates } = plan({ statusId: 'new' });
    const choice = chooseForFind('requests', candidates, conditions, byField, [{ field: 'statusId', direction: 'asc' }, { field: 'deadline', direction: 'asc' }]);
    expect(choice.order.map((k) => k.field)).toEqual(['deadline']);
    expect(choice.candidate?.index.name).toBe('by_status_deadline');
  });

  it('a range on the field after the prefix', () => {
    const { conditions, byField, candidates } = plan({ statusId: 'new', deadline: { lt: '2026-11-27' } });
    expect(chooseForCount('requests', candidates, conditions, byField).index.name).toBe('by_status_deadline');
  });

  it('a multikey index only with its array field in the equality prefix', () => {
    const tagged = plan({ tags: 'vip' });
    expect(chooseForFind('requests', tagged.candidates, tagged.conditions, tagged.byField, [{ field: 'updatedAt', direction: 'desc' }]).candidate?.index.name).toBe('by_tag');
    const none = plan(undefined);
    expect(() => chooseForFind('requests', none.candidates, none.conditions, none.byField, [{ field: 'tags', direction: 'asc' }])).toThrow(UnindexedQueryError);
  });

  it('refuses what no index serves, and mixed sort directions, naming the query', () => {
    const { conditions, byField, candidates } = plan({ title: 'x' });
    expect(() => chooseForFind('requests', candidates, conditions, byField, undefined)).toThrow('filter on title');
    const owner = plan({ ownerId: 'a' });
    expect(() =>
      chooseForFind('requests', owner.candidates, owner.conditions, owner.byField, [
        { field: 'updatedAt', direction: 'desc' },
        { field: 'id2', direction: 'asc' },
      ]),
    ).toThrow('mixed sort directions');
  });

  it('a grouped count of an array field only through the index multikey on it', () => {
    const { conditions, byField, candidates } = plan(undefined);
    expect(chooseForCountBy('requests', candidates, conditions, byField, 'tags', true).index.name).toBe('by_tag');
    expect(chooseForCountBy('requests', candidates, conditions, byField, 'statusId', false).index.name).toBe('by_status_deadline');
    expect(() => chooseForCountBy('requests', candidates, conditions, byField, 'priorityId', false)).toThrow('counted by priorityId');
  });
});
