import type { AllStreamSubscription, Position, RegexFilter } from '@kurrent/kurrentdb-client';
import { EventFilter, streamCategory } from '../event-store.port';

/**
 * The port's EventFilter on KurrentDB's server-side $all filter, which filters on ONE field (stream name or
 * event type) by prefixes or by a regex. So:
 *
 * - event types given: the server filters on the event type with `^(?:t1|t2)$` (exact names; a prefix filter
 *   would also let `OpenedV2` through for `Opened`); categories, if also given, are checked here. Types go to
 *   the server rather than categories because they are the selective part in practice (the outbox reactor
 *   asks for a few types of the `request` category, which holds most of the log);
 * - only categories given: the server filters on the stream name with `^(?:c1|c2)(?:-|$)`, which is the
 *   port's definition of a category exactly (the name up to the first '-'; a stream with no '-' is its own
 *   category, which the prefix `<category>-` alone would miss);
 * - neither: the server excludes system events (event types starting with `$`), like `excludeSystemEvents()`.
 *
 * Whatever the server was asked, `matches` re-checks the whole filter on every event it returns, and always
 * drops `$` event types (system events, and the event-id index's reservations). So the result is exact even
 * if a regex were interpreted differently by the server (.NET) than here, and an empty list matches nothing
 * without asking the server at all.
 */
export type CompiledFilter =
  | { readonly kind: 'nothing' }
  | {
      readonly kind: 'some';
      readonly server: ServerFilter;
      readonly matches: (streamId: string, type: string) => boolean;
    };

export interface ServerFilter {
  readonly filterOn: 'streamName' | 'eventType';
  readonly regex: string;
}

export const EXCLUDE_SYSTEM_EVENTS: ServerFilter = { filterOn: 'eventType', regex: '^[^$]' };

export function compileFilter(filter: EventFilter | undefined): CompiledFilter {
  const categories = filter?.streamCategories;
  const types = filter?.eventTypes;
  if (categories?.length === 0 || types?.length === 0) return { kind: 'nothing' };
  const categorySet = categories ? new Set(categories.map((c) => checked(c, 'stream category'))) : undefined;
  const typeSet = types ? new Set(types.map((t) => checked(t, 'event type'))) : undefined;

  const server: ServerFilter = typeSet
    ? { filterOn: 'eventType', regex: `^(?:${[...typeSet].map(escapeRegex).join('|')})$` }
    : categorySet
      ? { filterOn: 'streamName', regex: `^(?:${[...categorySet].map(escapeRegex).join('|')})(?:-|$)` }
      : EXCLUDE_SYSTEM_EVENTS;

  return {
    kind: 'some',
    server,
    matches: (streamId, type) =>
      !type.startsWith('$') &&
      (categorySet === undefined || categorySet.has(streamCategory(streamId))) &&
      (typeSet === undefined || typeSet.has(type)),
  };
}

/** The client's filter object (what `streamNameFilter` / `eventTypeFilter` build), with its checkpoint hook. */
export function toClientFilter(
  server: ServerFilter,
  checkpointReached?: (subscription: AllStreamSubscription, position: Position) => void,
): RegexFilter {
  return {
    filterOn: server.filterOn,
    regex: server.regex,
    // A checkpoint every 32 scanned events (the server's default window times 1): a quiet filtered
    // subscription still learns how far the server has looked.
    checkpointInterval: 1,
    ...(checkpointReached ? { checkpointReached } : {}),
  };
}

/** Escapes what is special in both .NET and JavaScript regexes (the server is .NET; tests run here). */
export const escapeRegex = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);

function checked(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`A ${what} must be a non-empty string`);
  return value;
}
