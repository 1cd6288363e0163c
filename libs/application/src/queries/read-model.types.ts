import type { BaseStatus } from '@helpdesk/domain';

/** The fields of the request-summaries read model that queries filter, sort and answer with. */
export interface RequestSummary {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly statusId: string;
  readonly baseStatus: BaseStatus;
  readonly ownerId: string | null;
  readonly categoryId: string;
  readonly priorityId: string;
  readonly tags: readonly string[];
  readonly contactIds: readonly string[];
  readonly deadline: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly mergedInto: { readonly requestId: string; readonly number: number } | null;
  readonly _position?: number;
}

export interface RequestDetails extends RequestSummary {
  readonly messages: readonly unknown[];
}

export interface FavouritesDocument {
  readonly agentId: string;
  readonly requestIds: readonly string[];
}

export interface FlaggedDocument {
  readonly requestId: string;
  readonly number: number;
  readonly title: string;
  readonly categoryId: string;
  readonly flagged: readonly unknown[];
  readonly lastFlaggedAt: string | null;
}

export interface ContactDocument {
  readonly id: string;
  readonly name: string;
  readonly emails: readonly string[];
  readonly companyId: string | null;
}

/** Requests people work with; deleted and merged ones only show up when asked for. */
export const LISTED: readonly BaseStatus[] = ['open', 'closed', 'postponed'];

/** Internal bookkeeping fields (`_position`, `_ledger`, …) stay out of API answers. */
export const publicView = <T extends object>(document: T): Omit<T, '_position'> =>
  Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_'))) as Omit<T, '_position'>;
