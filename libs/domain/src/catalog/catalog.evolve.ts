import type { AgentEvent } from '../agent/agent.events';
import type { CategoryEvent } from '../category/category.events';
import type { PriorityEvent } from '../priority/priority.events';
import type { Event } from '../shared/message';
import type { StatusEvent } from '../status/status.events';
import { emptyCatalog, type Catalog } from './catalog';

/** Everything the catalog is folded from: the three configuration streams and every `agent-` stream. */
export type CatalogEvent = StatusEvent | CategoryEvent | PriorityEvent | AgentEvent;

const CATALOG_EVENT_TYPES: Readonly<Record<CatalogEvent['type'], true>> = {
  StatusDefined: true,
  StatusUpdated: true,
  DefaultStatusChosen: true,
  AcceptStatusChosen: true,
  CategoryDefined: true,
  CategoryUpdated: true,
  DefaultCategoryChosen: true,
  PriorityDefined: true,
  PriorityUpdated: true,
  DefaultPriorityChosen: true,
  AgentRegistered: true,
  AgentUpdated: true,
  AgentDeactivated: true,
  AgentReactivated: true,
  AgentTokenIssued: true,
  AgentTokenRevoked: true,
  FavouriteAdded: true,
  FavouriteRemoved: true,
};

/** For callers that read a mixed feed (e.g. `$all`) and keep only what the catalog is made of. */
export const isCatalogEvent = (event: Event): event is CatalogEvent => Object.hasOwn(CATALOG_EVENT_TYPES, event.type);

type TokenRef = { readonly agentId: string; readonly tokenId: string };

/**
 * The catalog as the fold produces it. Besides the live `tokens` it remembers the tokens of
 * deactivated agents, which must not authenticate anyone but come back on reactivation (unless
 * revoked meanwhile). A plain `Catalog` passed in (e.g. `emptyCatalog()`) is treated as having none.
 */
export interface FoldedCatalog extends Catalog {
  /** sha256(token) -> owner, for tokens of deactivated agents. */
  readonly suspendedTokens: Readonly<Record<string, TokenRef>>;
}

const withoutWhere = (
  tokens: Readonly<Record<string, TokenRef>>,
  drop: (ref: TokenRef) => boolean,
): Record<string, TokenRef> => Object.fromEntries(Object.entries(tokens).filter(([, ref]) => !drop(ref)));

const onlyWhere = (tokens: Readonly<Record<string, TokenRef>>, keep: (ref: TokenRef) => boolean): Record<string, TokenRef> =>
  withoutWhere(tokens, (ref) => !keep(ref));

const asFolded = (catalog: Catalog): FoldedCatalog => ({
  ...catalog,
  suspendedTokens: (catalog as Partial<FoldedCatalog>).suspendedTokens ?? {},
});

/** Pure: returns a new catalog, never changes the one it is given. */
export const evolveCatalog = (catalog: Catalog, event: CatalogEvent): FoldedCatalog => {
  const current = asFolded(catalog);
  switch (event.type) {
    case 'StatusDefined': {
      const { statusId, name, base, queue, newRequestOnReply } = event.data;
      return { ...current, statuses: { ...current.statuses, [statusId]: { id: statusId, name, base, queue, newRequestOnReply } } };
    }
    case 'StatusUpdated': {
      const { statusId, name, queue, newRequestOnReply } = event.data;
      const status = current.statuses[statusId];
      if (!status) return current;
      return { ...current, statuses: { ...current.statuses, [statusId]: { ...status, name, queue, newRequestOnReply } } };
    }
    case 'DefaultStatusChosen':
      return { ...current, defaultStatusIds: { ...current.defaultStatusIds, [event.data.base]: event.data.statusId } };
    case 'AcceptStatusChosen':
      return { ...current, acceptStatusId: event.data.statusId };

    case 'CategoryDefined':
    case 'CategoryUpdated': {
      const { categoryId, name, parentId, restricted, memberIds } = event.data;
      return {
        ...current,
        categories: { ...current.categories, [categoryId]: { id: categoryId, name, parentId, restricted, memberIds: [...memberIds] } },
      };
    }
    case 'DefaultCategoryChosen':
      return { ...current, defaultCategoryId: event.data.categoryId };

    case 'PriorityDefined':
    case 'PriorityUpdated': {
      const { priorityId, name, deadlineMinutes, rank } = event.data;
      return { ...current, priorities: { ...current.priorities, [priorityId]: { id: priorityId, name, deadlineMinutes, rank } } };
    }
    case 'DefaultPriorityChosen':
      return { ...current, defaultPriorityId: event.data.priorityId };

    case 'AgentRegistered': {
      const { agentId, name, email, role } = event.data;
      return { ...current, agents: { ...current.agents, [agentId]: { id: agentId, name, email, role, active: true } } };
    }
    case 'AgentUpdated': {
      const { agentId, name, email, role } = event.data;
      const agent = current.agents[agentId];
      if (!agent) return current;
      return { ...current, agents: { ...current.agents, [agentId]: { ...agent, name, email, role } } };
    }
    case 'AgentDeactivated': {
      const { agentId } = event.data;
      const agent = current.agents[agentId];
      const own = (ref: TokenRef) => ref.agentId === agentId;
      return {
        ...current,
        agents: agent ? { ...current.agents, [agentId]: { ...agent, active: false } } : current.agents,
        tokens: withoutWhere(current.tokens, own),
        suspendedTokens: { ...current.suspendedTokens, ...onlyWhere(current.tokens, own) },
      };
    }
    case 'AgentReactivated': {
      const { agentId } = event.data;
      const agent = current.agents[agentId];
      const own = (ref: TokenRef) => ref.agentId === agentId;
      return {
        ...current,
        agents: agent ? { ...current.agents, [agentId]: { ...agent, active: true } } : current.agents,
        tokens: { ...current.tokens, ...onlyWhere(current.suspendedTokens, own) },
        suspendedTokens: withoutWhere(current.suspendedTokens, own),
      };
    }
    case 'AgentTokenIssued': {
      const { agentId, tokenId, tokenHash } = event.data;
      // The decider refuses tokens for inactive agents; an old history that has one still must not let it in.
      return current.agents[agentId]?.active === false
        ? { ...current, suspendedTokens: { ...current.suspendedTokens, [tokenHash]: { agentId, tokenId } } }
        : { ...current, tokens: { ...current.tokens, [tokenHash]: { agentId, tokenId } } };
    }
    case 'AgentTokenRevoked': {
      const { agentId, tokenId } = event.data;
      const revoked = (ref: TokenRef) => ref.agentId === agentId && ref.tokenId === tokenId;
      return {
        ...current,
        tokens: withoutWhere(current.tokens, revoked),
        suspendedTokens: withoutWhere(current.suspendedTokens, revoked),
      };
    }
    case 'FavouriteAdded':
    case 'FavouriteRemoved':
      // Agent events, but personal: the favourites read model follows them, the catalog does not.
      return current;
    default: {
      // Compile-time exhaustiveness only: the catalog is read from whole stream categories (`config-`,
      // `agent-`), which may hold events it has no use for (templates, preferences). Those pass through.
      const unhandled: never = event;
      void unhandled;
      return current;
    }
  }
};

export const emptyFoldedCatalog = (): FoldedCatalog => ({ ...emptyCatalog(), suspendedTokens: {} });

/** The catalog after `events`, in order (per stream order; streams may be interleaved in any order). */
export const foldCatalog = (events: readonly CatalogEvent[], from: Catalog = emptyFoldedCatalog()): FoldedCatalog =>
  events.reduce<FoldedCatalog>(evolveCatalog, asFolded(from));
