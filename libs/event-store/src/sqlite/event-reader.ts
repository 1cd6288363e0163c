import type Database from 'better-sqlite3';
import { EventFilter, ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../event-store.port';

interface EventRow {
  readonly position: number;
  readonly event_id: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string;
}

const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at';
/** SQLite reads a negative LIMIT as "no limit". */
const NO_LIMIT = -1;

/**
 * Filtered read of the global log, as SQL. Each listed type (or category) gets its own index range scan
 * that stops after `limit` rows; the ranges are merged by position. A single `type IN (...) ORDER BY
 * position` would instead collect every matching row after the cursor and sort them, for every page, which
 * makes a catch-up quadratic. With both lists, types drive the scan and categories filter it.
 * Exported so the SQLite spec can check the plans.
 */
export function readAllSql(categories: number, types: number): string {
  if (categories === 0 && types === 0) {
    return `SELECT ${COLUMNS} FROM events WHERE position > @after ORDER BY position LIMIT @limit`;
  }
  const [column, count, residual] =
    types > 0
      ? (['type', types, categories > 0 ? ` AND category IN (${params('c', categories)})` : ''] as const)
      : (['category', categories, ''] as const);
  const prefix = column === 'type' ? 't' : 'c';
  const range = (i: number) =>
    `SELECT ${COLUMNS} FROM events WHERE ${column} = @${prefix}${i} AND position > @after${residual} ` +
    `ORDER BY position LIMIT @limit`;
  if (count === 1) return range(0);
  const parts = Array.from({ length: count }, (_, i) => `SELECT * FROM (${range(i)})`);
  return `${parts.join(' UNION ALL ')} ORDER BY position LIMIT @limit`;
}

const params = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `@${prefix}${i}`).join(', ');

/** Reads with prepared statements cached for the life of the connection. */
export class EventReader {
  private readonly forwards: Database.Statement<[string, number, number], EventRow>;
  private readonly backwards: Database.Statement<[string, number, number], EventRow>;
  private readonly head: Database.Statement<[], number | null>;
  private readonly readAllStatements = new Map<string, Database.Statement<[Record<string, unknown>], EventRow>>();

  constructor(private readonly db: Database.Database) {
    // The command path's hot read (stream_id = ? AND revision >= n): a range of the UNIQUE(stream_id, revision) index.
    this.forwards = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    );
    this.backwards = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    );
    this.head = db.prepare<[], number | null>('SELECT max(position) FROM events').pluck();
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): RecordedEvent[] {
    const limit = limitOf(options.maxCount);
    if (limit === 0) return [];
    const rows =
      options.direction === 'backwards'
        ? this.backwards.all(streamId, toNumber(options.fromRevision, Number.MAX_SAFE_INTEGER), limit)
        : this.forwards.all(streamId, toNumber(options.fromRevision, 0), limit);
    return rows.map(toRecorded);
  }

  readAll(options: ReadAllOptions = {}): RecordedEvent[] {
    const limit = limitOf(options.maxCount);
    const filter = normalise(options.filter);
    if (limit === 0 || filter === 'nothing') return [];
    const { categories, types } = filter;
    const key = `${categories.length}:${types.length}`;
    let statement = this.readAllStatements.get(key);
    if (!statement) {
      statement = this.db.prepare(readAllSql(categories.length, types.length));
      this.readAllStatements.set(key, statement);
    }
    const bound: Record<string, unknown> = { after: toNumber(options.fromPosition, 0), limit };
    categories.forEach((c, i) => (bound[`c${i}`] = c));
    types.forEach((t, i) => (bound[`t${i}`] = t));
    return statement.all(bound).map(toRecorded);
  }

  headPosition(): bigint | undefined {
    const position = this.head.get();
    return position === null || position === undefined ? undefined : BigInt(position);
  }
}

/** Duplicates removed (they would duplicate rows in the UNION ALL); an empty list matches nothing. */
function normalise(filter: EventFilter | undefined): { categories: string[]; types: string[] } | 'nothing' {
  const categories = filter?.streamCategories;
  const types = filter?.eventTypes;
  if (categories?.length === 0 || types?.length === 0) return 'nothing';
  return { categories: [...new Set(categories ?? [])], types: [...new Set(types ?? [])] };
}

function limitOf(maxCount: number | undefined): number {
  if (maxCount === undefined) return NO_LIMIT;
  if (!Number.isInteger(maxCount) || maxCount < 0) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  }
  return maxCount;
}

function toNumber(value: bigint | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value < 0n) throw new RangeError(`Revisions and positions are never negative, got ${value}`);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}
