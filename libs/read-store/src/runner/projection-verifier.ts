import type { EventStore } from '@helpdesk/event-store';
import type { Projection } from '@helpdesk/projections';
import type { DocumentStore } from '../document-store.port';
import { ProjectionRebuilder, type RebuildOptions } from './projection-rebuilder';
import { ProjectionRegistry } from './projection-registry';

export interface Difference {
  readonly projection: string;
  readonly id: string;
  readonly kind: 'missing' | 'unexpected' | 'different';
  readonly live?: unknown;
  readonly rebuilt?: unknown;
}

export interface VerifyReport {
  readonly projection: string;
  /** The live checkpoint the rebuild was taken up to. */
  readonly through: bigint | undefined;
  readonly compared: number;
  /** Live documents changed after `through` while verifying: not comparable, not counted as differences. */
  readonly movedOn: number;
  readonly differences: Difference[];
}

/**
 * Rebuilds each projection from the log into a scratch store, up to the live checkpoint, and compares
 * every document with the live one. A difference means the live read model drifted from what the
 * events say (a bug, or a lost write): the auditor's proof that the read side can be trusted.
 */
export class ProjectionVerifier {
  constructor(
    private readonly events: EventStore,
    private readonly live: DocumentStore,
  ) {}

  async verify(projections: readonly Projection[], scratch: DocumentStore, options: RebuildOptions = {}): Promise<VerifyReport[]> {
    const registry = new ProjectionRegistry(this.live);
    await registry.init();
    const reports: VerifyReport[] = [];
    for (const projection of projections) {
      const liveCollection = await registry.activeCollection(projection);
      const through = await this.live.checkpoint(liveCollection);
      const rebuilt = (await new ProjectionRebuilder(this.events, scratch).buildInto([projection], through ?? -1n, options)).get(projection.name)!;
      reports.push(await this.compare(projection.name, liveCollection, scratch, rebuilt, through));
    }
    return reports;
  }

  private async compare(name: string, liveCollection: string, scratch: DocumentStore, rebuiltCollection: string, through: bigint | undefined): Promise<VerifyReport> {
    const differences: Difference[] = [];
    let compared = 0;
    let movedOn = 0;
    const live = pages<{ _position?: number }>(this.live, liveCollection);
    const rebuilt = pages<unknown>(scratch, rebuiltCollection);
    let a = await live.next();
    let b = await rebuilt.next();
    while (!a.done || !b.done) {
      if (!a.done && (b.done || a.value.id < b.value.id)) {
        if (changedSince(a.value.document, through)) movedOn++;
        else differences.push({ projection: name, id: a.value.id, kind: 'unexpected', live: a.value.document });
        a = await live.next();
      } else if (!b.done && (a.done || b.value.id < a.value.id)) {
        differences.push({ projection: name, id: b.value.id, kind: 'missing', rebuilt: b.value.document });
        b = await rebuilt.next();
      } else if (!a.done && !b.done) {
        compared++;
        if (changedSince(a.value.document, through)) movedOn++;
        else if (canonical(a.value.document) !== canonical(b.value.document)) {
          differences.push({ projection: name, id: a.value.id, kind: 'different', live: a.value.document, rebuilt: b.value.document });
        }
        a = await live.next();
        b = await rebuilt.next();
      }
    }
    return { projection: name, through, compared, movedOn, differences };
  }
}

const changedSince = (document: { _position?: number }, through: bigint | undefined): boolean =>
  typeof document._position === 'number' && (through === undefined || document._position > Number(through));

async function* pages<T>(store: DocumentStore, collection: string): AsyncGenerator<{ id: string; document: T }> {
  let after: string | undefined;
  for (;;) {
    const page = await store.scan<T>(collection, { after, limit: 1000 });
    for (const row of page) yield row;
    if (page.length < 1000) return;
    after = page[page.length - 1]!.id;
  }
}

/** JSON with sorted keys: two documents are equal whatever order their fields were written in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
