import { agentFavourites } from './agent-favourites.projection';
import { at, favouriteAdded, favouriteRemoved, log } from './testing/events';
import { expectReplaySafe, projectOne } from './testing/project';

const favouritesOf = (agentId: string, ...steps: ReturnType<typeof at>[]) => projectOne(agentFavourites, log(steps), agentId);

describe('agent-favourites', () => {
  it('lists the requests an agent starred, in the order starred', () =>
    expect(favouritesOf('bob', at(1, favouriteAdded('bob', 'req-3'), 'bob'), at(2, favouriteAdded('bob', 'req-1'), 'bob'))).toStrictEqual({
      agentId: 'bob',
      requestIds: ['req-3', 'req-1'],
      _position: 2,
    }));

  it('keeps one place per request when it is starred again', () =>
    expect(
      favouritesOf('bob', at(1, favouriteAdded('bob', 'req-3'), 'bob'), at(2, favouriteAdded('bob', 'req-1'), 'bob'), at(3, favouriteAdded('bob', 'req-3'), 'bob')),
    ).toMatchObject({ requestIds: ['req-3', 'req-1'], _position: 3 }));

  it('drops an unstarred request, and puts it last when starred again', () => {
    const steps = [at(1, favouriteAdded('bob', 'req-3'), 'bob'), at(2, favouriteAdded('bob', 'req-1'), 'bob'), at(3, favouriteRemoved('bob', 'req-3'), 'bob')];
    expect(favouritesOf('bob', ...steps)).toMatchObject({ requestIds: ['req-1'] });
    expect(favouritesOf('bob', ...steps, at(4, favouriteAdded('bob', 'req-3'), 'bob'))).toMatchObject({ requestIds: ['req-1', 'req-3'] });
  });

  it('keeps an empty list once everything is unstarred; unstarring what is not there changes nothing', () =>
    expect(
      favouritesOf(
        'bob',
        at(1, favouriteAdded('bob', 'req-3'), 'bob'),
        at(2, favouriteRemoved('bob', 'req-3'), 'bob'),
        at(3, favouriteRemoved('bob', 'req-9'), 'bob'),
      ),
    ).toMatchObject({ requestIds: [] }));

  it('keeps each agent to their own list', () => {
    const documents = expectReplaySafe(
      agentFavourites,
      log([at(1, favouriteAdded('bob', 'req-1'), 'bob'), at(2, favouriteAdded('carol', 'req-2'), 'carol'), at(3, favouriteAdded('carol', 'req-1'), 'carol')]),
    );
    expect(documents.get('bob')?.requestIds).toEqual(['req-1']);
    expect(documents.get('carol')?.requestIds).toEqual(['req-2', 'req-1']);
  });

  it('has no document for an agent who only ever unstarred', () =>
    expect(expectReplaySafe(agentFavourites, log([at(1, favouriteRemoved('bob', 'req-1'), 'bob')])).has('bob')).toBe(false));
});
