import { projection, type Projection } from '../projection';
import { at, favouriteAdded, log } from './events';
import { expectReplaySafe } from './project';

/** Counts favourites by appending: not idempotent on its own. */
const counting = {
  name: 'counting',
  version: 1,
  handles: ['FavouriteAdded'],
  id: (e) => e.data.agentId as string,
  evolve: (doc: { count: number } | null) => ({ count: (doc?.count ?? 0) + 1 }),
  indexes: [],
} satisfies Projection<{ count: number }>;

const events = log([at(1, favouriteAdded('bob', 'req-1'), 'bob'), at(2, favouriteAdded('bob', 'req-2'), 'bob')]);

describe('expectReplaySafe', () => {
  it('catches a projection that is not idempotent', () => expect(() => expectReplaySafe(counting, events)).toThrow());

  it('passes the same projection behind the position guard', () =>
    expect(expectReplaySafe(projection(counting), events).get('bob')).toEqual({ count: 2, _position: 2 }));

  it('catches a document the store would not give back as it was', () => {
    const leaky = projection({ ...counting, evolve: (doc: { count: number } | null) => ({ count: (doc?.count ?? 0) + 1, note: undefined }) });
    expect(() => expectReplaySafe(leaky, events)).toThrow();
  });
});
