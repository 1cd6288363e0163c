/**
 * A small model of MongoDB's query semantics, for unit tests of the filters, keysets and pipelines the adapter
 * sends (no server here): the operators the adapter generates, with MongoDB's rules as documented (equality on an
 * array field means "contains", null matches missing, comparisons bracket by type, `$type` and `$regex` look at
 * an array's elements, sort order by type then value). It proves the adapter's own logic (branch construction,
 * null and array handling) against that model; only a live run (MONGODB_URL) proves the model is MongoDB.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Stored = { readonly _id: string; readonly [key: string]: unknown };

const MISSING = Symbol('missing');
type Value = unknown;

/** The value at a dotted path of plain objects (the adapter's paths: `d.<field>`, `x.w`, `_id`). */
export function valueAt(document: unknown, path: string): Value {
  let current: unknown = document;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !(part in current)) return MISSING;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** MongoDB's order of types: null (and missing) < numbers < strings < objects < arrays < booleans. */
function typeRank(value: Value): number {
  if (value === MISSING || value === null || value === undefined) return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  if (typeof value === 'object') return 4;
  if (typeof value === 'boolean') return 6;
  throw new Error(`Not a JSON value: ${String(value)}`);
}

export function compareValues(a: Value, b: Value): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return 0;
  if (ra === 2 || ra === 3) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ra === 6) return Number(a) - Number(b);
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

const equal = (a: Value, b: Value): boolean => typeRank(a) === typeRank(b) && compareValues(a, b) === 0;

/** What an operator is tested against: the value itself, and for an array also each element. */
const candidates = (value: Value): Value[] => (Array.isArray(value) ? [value, ...value] : [value]);

const TYPE_ALIASES: Record<string, (v: Value) => boolean> = {
  null: (v) => v === null,
  number: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  bool: (v) => typeof v === 'boolean',
};

function equalityMatches(value: Value, wanted: Value): boolean {
  if (wanted === null) return value === MISSING || value === null || (Array.isArray(value) && value.includes(null));
  return candidates(value).some((c) => c !== MISSING && equal(c, wanted));
}

function operatorMatches(value: Value, operator: string, argument: unknown): boolean {
  switch (operator) {
    case '$eq':
      return equalityMatches(value, argument);
    case '$in':
      return (argument as Value[]).some((wanted) => equalityMatches(value, wanted));
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return candidates(value).some((c) => {
        if (c === MISSING || typeRank(c) !== typeRank(argument)) return false;
        const order = compareValues(c, argument);
        return operator === '$gt' ? order > 0 : operator === '$gte' ? order >= 0 : operator === '$lt' ? order < 0 : order <= 0;
      });
    case '$type': {
      const types = Array.isArray(argument) ? (argument as string[]) : [argument as string];
      return types.some((t) => candidates(value).some((c) => c !== MISSING && TYPE_ALIASES[t](c)));
    }
    case '$not':
      return !fieldMatches(value, argument);
    case '$elemMatch':
      return Array.isArray(value) && value.some((element) => fieldMatches(element, argument));
    case '$all':
      return (argument as Value[]).every((wanted) => equalityMatches(value, wanted));
    case '$regex':
      return candidates(value).some((c) => typeof c === 'string' && new RegExp(argument as string).test(c));
    case '$exists':
      return (value !== MISSING) === argument;
    case '$ne':
      return !equalityMatches(value, argument);
    default:
      throw new Error(`The model does not know ${operator}`);
  }
}

const isOperatorObject = (condition: unknown): condition is Record<string, unknown> =>
  condition !== null && typeof condition === 'object' && !Array.isArray(condition) && Object.keys(condition).some((k) => k.startsWith('$'));

function fieldMatches(value: Value, condition: unknown): boolean {
  if (isOperatorObject(condition)) return Object.entries(condition).every(([op, argument]) => operatorMatches(value, op, argument));
  return equalityMatches(value, condition);
}

/** Whether a stored document matches a MongoDB filter (of the operators above, `$and`, `$or`). */
export function matches(document: Stored, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$and') return (condition as Record<string, unknown>[]).every((f) => matches(document, f));
    if (key === '$or') return (condition as Record<string, unknown>[]).some((f) => matches(document, f));
    if (key.startsWith('$')) throw new Error(`The model does not know ${key}`);
    return fieldMatches(valueAt(document, key), condition);
  });
}

/** find(filter).sort(sort).limit(limit) on the model (sort fields hold no arrays). */
export function findIn(
  documents: readonly Stored[],
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  limit: number,
): Stored[] {
  const keys = Object.entries(sort);
  return documents
    .filter((d) => matches(d, filter))
    .sort((a, b) => {
      for (const [path, direction] of keys) {
        const order = compareValues(valueAt(a, path), valueAt(b, path));
        if (order !== 0) return order * direction;
      }
      return 0;
    })
    .slice(0, limit);
}

export type { Json };

/** An aggregation expression of the kinds the adapter writes, evaluated on a document (variables in `vars`). */
export function evaluate(expression: unknown, document: Record<string, unknown>, vars: Record<string, unknown> = {}): unknown {
  if (typeof expression === 'string') {
    if (expression.startsWith('$$')) return vars[expression.slice(2)];
    if (expression.startsWith('$')) {
      const value = valueAt(document, expression.slice(1));
      return value === MISSING ? undefined : value;
    }
    return expression;
  }
  if (Array.isArray(expression)) return expression.map((e) => evaluate(e, document, vars));
  if (expression === null || typeof expression !== 'object') return expression;
  const entries = Object.entries(expression as Record<string, unknown>);
  const [operator, argument] = entries[0] ?? [];
  if (entries.length !== 1 || !operator?.startsWith('$')) {
    return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v, document, vars)]).filter(([, v]) => v !== undefined));
  }
  const args = argument as unknown[];
  switch (operator) {
    case '$literal':
      return argument;
    case '$let': {
      const { vars: defined, in: body } = argument as { vars: Record<string, unknown>; in: unknown };
      const scope = { ...vars };
      for (const [name, value] of Object.entries(defined)) scope[name] = evaluate(value, document, vars);
      return evaluate(body, document, scope);
    }
    case '$cond':
      return evaluate(args[0], document, vars) ? evaluate(args[1], document, vars) : evaluate(args[2], document, vars);
    case '$isArray':
      // { $isArray: expr } or { $isArray: [expr] }.
      return Array.isArray(Array.isArray(argument) ? evaluate(args[0], document, vars) : evaluate(argument, document, vars));
    case '$eq': {
      const [a, b] = evaluate(args, document, vars) as unknown[];
      return equal(a ?? null, b ?? null);
    }
    case '$size':
      return (evaluate(argument, document, vars) as unknown[]).length;
    case '$ifNull': {
      const [value, fallback] = evaluate(args, document, vars) as unknown[];
      return value === undefined || value === null ? fallback : value;
    }
    case '$setUnion': {
      const out: unknown[] = [];
      for (const set of evaluate(args, document, vars) as unknown[][]) {
        for (const element of set) if (!out.some((o) => equal(o ?? null, element ?? null))) out.push(element);
      }
      return out;
    }
    default:
      throw new Error(`The model does not evaluate ${operator}`);
  }
}

/** What a pipeline needs from its surroundings: the text index for `$text`, and a place for `$merge` to write. */
export interface PipelineHooks {
  /** How documents score for a `$text` search (0: no match); may refuse it. Without it, `$text` is refused. */
  readonly textScorer?: (search: string) => (document: Record<string, unknown>) => number;
  /** Writes what `$merge` would write; without it, the pipeline answers those documents. */
  readonly merge?: (into: string, documents: Record<string, unknown>[]) => void;
}

/** Documents ordered as a MongoDB sort ({ path: 1 | -1, ... }) orders them. */
export function sortDocuments<D extends Record<string, unknown>>(documents: readonly D[], sort: Record<string, number> | undefined): D[] {
  if (!sort) return [...documents];
  const keys = Object.entries(sort);
  return [...documents].sort((a, b) => {
    for (const [path, direction] of keys) {
      const va = valueAt(a, path);
      const vb = valueAt(b, path);
      const order = compareValues(typeof va === 'symbol' ? null : va, typeof vb === 'symbol' ? null : vb);
      if (order !== 0) return order * direction;
    }
    return 0;
  });
}

/** An aggregation pipeline of the stages the adapter writes, on the model. */
export function aggregate(
  documents: readonly Record<string, unknown>[],
  pipeline: readonly Record<string, unknown>[],
  hooks: PipelineHooks = {},
): Record<string, unknown>[] {
  let current = documents.map((d) => ({ ...d }));
  const scores = new WeakMap<Record<string, unknown>, number>();
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] as [string, Record<string, unknown>];
    switch (name) {
      case '$match': {
        const { $text, ...rest } = spec as { $text?: { $search: string } } & Record<string, unknown>;
        if ($text) {
          if (!hooks.textScorer) throw new Error('The model runs $text only on a collection with a text index');
          const score = hooks.textScorer($text.$search);
          current = current.filter((d) => {
            const value = score(d);
            scores.set(d, value);
            return value > 0;
          });
        }
        current = current.filter((d) => matches(d as Stored, rest));
        break;
      }
      case '$project':
        current = current.map((d) => {
          const out: Record<string, unknown> = spec._id === 0 ? {} : { _id: d._id };
          for (const [key, value] of Object.entries(spec)) {
            if (key === '_id') continue;
            if (value === 1) out[key] = d[key];
            else if ((value as { $meta?: string }).$meta === 'textScore') out[key] = scores.get(d) ?? 0;
            else out[key] = evaluate(value, d);
          }
          return out;
        });
        break;
      case '$set':
        current = current.map((d) => ({ ...d, ...Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, evaluate(v, d)])) }));
        break;
      case '$unwind': {
        const path = (spec as unknown as string).slice(1);
        current = current.flatMap((d) => {
          const value = d[path];
          if (Array.isArray(value)) return value.map((element) => ({ ...d, [path]: element }));
          return value === undefined || value === null ? [] : [d];
        });
        break;
      }
      case '$group': {
        const groups = new Map<string, Record<string, unknown>>();
        for (const d of current) {
          const id = evaluate(spec._id, d) ?? null;
          const key = JSON.stringify(id);
          const group = groups.get(key) ?? { _id: id };
          for (const [field, accumulator] of Object.entries(spec)) {
            if (field === '_id') continue;
            // $sum counts what is not a number as 0.
            group[field] = ((group[field] as number | undefined) ?? 0) + ((evaluate((accumulator as { $sum: unknown }).$sum, d) as number | undefined) ?? 0);
          }
          groups.set(key, group);
        }
        current = [...groups.values()];
        break;
      }
      case '$sort':
        current = sortDocuments(current, spec as Record<string, number>);
        break;
      case '$limit':
        current = current.slice(0, spec as unknown as number);
        break;
      case '$merge':
        if (hooks.merge) {
          hooks.merge((spec as { into: string }).into, current);
          current = [];
        }
        break;
      default:
        throw new Error(`The model does not run ${name}`);
    }
  }
  return current;
}
