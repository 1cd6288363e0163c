import { projection, type Projected } from './projection';
import { stringField } from './support/event-facts';

/** One document per agent (id = agentId): the requests they starred, in the order they starred them. */
export interface AgentFavourites extends Projected {
  readonly agentId: string;
  readonly requestIds: readonly string[];
}

export const agentFavourites = projection<AgentFavourites>({
  name: 'agent-favourites',
  version: 1,
  handles: ['FavouriteAdded', 'FavouriteRemoved'],
  id: (e) => stringField(e, 'agentId'),
  evolve: (doc, e) => {
    const requestId = stringField(e, 'requestId');
    if (requestId === undefined) return doc;
    switch (e.type) {
      case 'FavouriteAdded': {
        const requestIds = doc?.requestIds ?? [];
        // Starring a starred request keeps its place.
        if (doc !== null && requestIds.includes(requestId)) return doc;
        return { agentId: e.data.agentId as string, requestIds: [...requestIds, requestId], _position: e.position };
      }
      case 'FavouriteRemoved':
        // An agent without a document has no favourites: nothing to remove, nothing to create.
        if (doc === null) return null;
        if (!doc.requestIds.includes(requestId)) return doc;
        return { agentId: doc.agentId, requestIds: doc.requestIds.filter((id) => id !== requestId), _position: e.position };
      default:
        return doc;
    }
  },
  // Who starred a request (e.g. to show a merged source's stars on its target).
  indexes: [{ name: 'by_request', fields: ['requestIds'] }],
});
