import type { Channel } from '../shared/message';
import type { BaseStatus } from '../catalog/catalog';
import type { AccessLevel, MessageSnapshot, RequestRef } from './request.events';

export type MessageState = MessageSnapshot;

export interface MergedSource extends RequestRef {
  readonly messageIds: readonly string[];
  readonly addedContactIds: readonly string[];
}

export interface ExistingRequest {
  readonly kind: 'existing';
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly contactIds: readonly string[];
  readonly categoryId: string;
  readonly priorityId: string;
  readonly ownerId: string | null;
  readonly statusId: string;
  readonly baseStatus: BaseStatus;
  readonly postponedUntil: string | null;
  readonly tags: readonly string[];
  readonly accessLevel: AccessLevel;
  readonly channel: Channel;
  readonly createdAt: string;
  readonly deadline: string | null;
  readonly messages: readonly MessageState[];
  /** What DeleteRequest replaced, for RestoreRequest. */
  readonly statusBeforeDelete: string | null;
  readonly mergedInto: RequestRef | null;
  readonly statusBeforeMerge: string | null;
  /** Merges into this request that have not been undone. */
  readonly mergedSources: readonly MergedSource[];
  readonly splitFrom: RequestRef | null;
  readonly splitInto: readonly RequestRef[];
}

export type RequestState = { readonly kind: 'none' } | ExistingRequest;

export const initialRequestState = (): RequestState => ({ kind: 'none' });
