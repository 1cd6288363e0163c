import type { Role } from '../shared/message';

/** The five internal states every user-defined status maps to (requests-domain.md §1.7, §3). */
export type BaseStatus = 'open' | 'closed' | 'postponed' | 'deleted' | 'merged';
export const BASE_STATUSES: readonly BaseStatus[] = ['open', 'closed', 'postponed', 'deleted', 'merged'];
/** Statuses people can pick; deleted and merged are reached only through DeleteRequest / MergeRequests. */
export const SELECTABLE_BASE_STATUSES: readonly BaseStatus[] = ['open', 'closed', 'postponed'];

export interface StatusDefinition {
  readonly id: string;
  readonly name: string;
  readonly base: BaseStatus;
  /** May be fetched by "next in queue". */
  readonly queue: boolean;
  /** A customer reply to a request in this status opens a new linked request instead of reopening it. */
  readonly newRequestOnReply: boolean;
}

export interface CategoryDefinition {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  /** "Only members have access": agents who are not members do not see its requests. */
  readonly restricted: boolean;
  readonly memberIds: readonly string[];
}

export interface PriorityDefinition {
  readonly id: string;
  readonly name: string;
  /** The deadline of a request is its creation time plus this; null means no deadline. */
  readonly deadlineMinutes: number | null;
  readonly rank: number;
}

export interface AgentDefinition {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: Exclude<Role, 'system'>;
  readonly active: boolean;
}

/**
 * Reference data the request decider needs, folded from the configuration streams and the agent
 * streams. It is a value: the application loads it, the decider reads it.
 */
export interface Catalog {
  readonly statuses: Readonly<Record<string, StatusDefinition>>;
  readonly defaultStatusIds: Readonly<Partial<Record<BaseStatus, string>>>;
  /** The global "new status when accepting a request". */
  readonly acceptStatusId: string | null;
  readonly categories: Readonly<Record<string, CategoryDefinition>>;
  readonly defaultCategoryId: string | null;
  readonly priorities: Readonly<Record<string, PriorityDefinition>>;
  readonly defaultPriorityId: string | null;
  readonly agents: Readonly<Record<string, AgentDefinition>>;
  /** sha256(token) -> who it authenticates. Tokens themselves are never stored. */
  readonly tokens: Readonly<Record<string, { readonly agentId: string; readonly tokenId: string }>>;
}

export const emptyCatalog = (): Catalog => ({
  statuses: {},
  defaultStatusIds: {},
  acceptStatusId: null,
  categories: {},
  defaultCategoryId: null,
  priorities: {},
  defaultPriorityId: null,
  agents: {},
  tokens: {},
});
