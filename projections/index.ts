import type { Projection } from './projection';
import { agentFavourites } from './agent-favourites.projection';
import { companies } from './companies.projection';
import { contacts } from './contacts.projection';
import { flaggedMessages } from './flagged-messages.projection';
import { requestDetails } from './request-details.projection';
import { requestSearch } from './request-search.projection';
import { requestSummaries } from './request-summaries.projection';

export * from './projection';
export * from './request-summaries.projection';
export * from './request-details.projection';
export * from './request-search.projection';
export * from './agent-favourites.projection';
export * from './flagged-messages.projection';
export * from './contacts.projection';
export * from './companies.projection';
export type { LedgerEntry, MessageFacts } from './support/message-ledger';
export type { RequestCore } from './support/request-fields';
export type { RequestTimes } from './support/request-times';

/**
 * Every read model, for the runner, the rebuild CLI and `verify`. Typed by what the runner needs:
 * each one's evolve only ever sees documents of its own collection.
 */
export const allProjections: readonly Projection[] = [
  requestSummaries,
  requestDetails,
  requestSearch,
  agentFavourites,
  flaggedMessages,
  contacts,
  companies,
] as readonly Projection<any>[];
