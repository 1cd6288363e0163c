import { Inject, Injectable } from '@nestjs/common';
import { emptyCatalog, evolveCatalog, type Catalog, type CatalogEvent } from '@helpdesk/domain';
import { EVENT_STORE, streamCategory, type EventStore } from '@helpdesk/event-store';
import { CommandRunner } from '../event-sourcing/command-runner';

const CATALOG_CATEGORIES = ['config', 'agent'] as const;

/**
 * The reference data (statuses, categories, priorities, agents and their token hashes), folded from
 * the configuration and agent streams. `current()` reads what was appended since the last fold when
 * this process has changed configuration since (so a status or token created a moment ago is known to
 * the very next command), and otherwise at most every MAX_AGE_MS: that bounds how long a change made
 * by another process (a token revoked through another API replica) takes to be seen here.
 */
@Injectable()
export class CatalogService {
  private catalog: Catalog = emptyCatalog();
  private position: bigint | undefined;
  private running: Promise<Catalog> | undefined;
  private queued: Promise<Catalog> | undefined;
  private stale = true;
  private refreshedAt = 0;
  static readonly MAX_AGE_MS = 100;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    runner: CommandRunner,
  ) {
    runner.onCommitted((streamIds) => {
      if (streamIds.some((id) => (CATALOG_CATEGORIES as readonly string[]).includes(streamCategory(id)))) this.stale = true;
    });
  }

  current(): Promise<Catalog> {
    if (!this.stale && Date.now() - this.refreshedAt < CatalogService.MAX_AGE_MS && !this.running) return Promise.resolve(this.catalog);
    // Callers share refreshes, but never one that started before they called: it could miss a write
    // they already saw acknowledged. So a caller arriving mid-refresh joins the next one.
    if (!this.running) return this.start();
    if (!this.queued) {
      this.queued = this.running.then(
        () => this.start(),
        () => this.start(),
      );
    }
    return this.queued;
  }

  private start(): Promise<Catalog> {
    this.queued = undefined;
    this.stale = false;
    this.refreshedAt = Date.now();
    const run = this.refresh().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** The last folded catalog without reading the store (for hot paths that tolerate milliseconds of lag). */
  snapshot(): Catalog {
    return this.catalog;
  }

  private async refresh(): Promise<Catalog> {
    for (;;) {
      const page = await this.store.readAll({
        fromPosition: this.position,
        maxCount: 1000,
        filter: { streamCategories: CATALOG_CATEGORIES },
      });
      for (const event of page) {
        this.catalog = evolveCatalog(this.catalog, { type: event.type, data: event.data } as CatalogEvent);
        this.position = event.position;
      }
      if (page.length < 1000) return this.catalog;
    }
  }
}
