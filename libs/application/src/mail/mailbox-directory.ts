import { Inject, Injectable } from '@nestjs/common';
import { evolveMailbox, initialMailboxState, normalizeEmail, type MailboxEvent, type MailboxSettings, type MailboxState } from '@helpdesk/domain';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { CommandRunner } from '../event-sourcing/command-runner';
import { idFromStream } from '../support/streams';

export interface Mailbox {
  readonly id: string;
  readonly settings: MailboxSettings;
  readonly revision: number;
}

/**
 * Every mailbox, folded from the `mailbox-*` streams (few, rarely changed): read from the log by
 * category, refreshed when this process writes one and at most every second otherwise.
 */
@Injectable()
export class MailboxDirectory {
  private cache: { at: number; mailboxes: Mailbox[] } | undefined;
  private static readonly TTL_MS = 1000;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    runner: CommandRunner,
  ) {
    runner.onCommitted((streamIds) => {
      if (streamIds.some((id) => id.startsWith('mailbox-'))) this.cache = undefined;
    });
  }

  /** Mailboxes that exist and are not removed. */
  async all(): Promise<Mailbox[]> {
    if (this.cache && Date.now() - this.cache.at < MailboxDirectory.TTL_MS) return this.cache.mailboxes;
    const states = new Map<string, { state: MailboxState; revision: number }>();
    let from: bigint | undefined;
    for (;;) {
      const page = await this.store.readAll({ fromPosition: from, maxCount: 1000, filter: { streamCategories: ['mailbox'] } });
      for (const event of page) {
        const id = idFromStream(event.streamId);
        const current = states.get(id)?.state ?? initialMailboxState();
        states.set(id, { state: evolveMailbox(current, { type: event.type, data: event.data } as MailboxEvent), revision: Number(event.revision) });
      }
      if (page.length < 1000) break;
      from = page[page.length - 1]!.position;
    }
    const mailboxes = [...states.entries()].flatMap(([id, { state, revision }]) =>
      state.kind === 'existing' && !state.removed ? [{ id, settings: state.settings, revision }] : [],
    );
    this.cache = { at: Date.now(), mailboxes };
    return mailboxes;
  }

  async get(id: string): Promise<Mailbox | undefined> {
    return (await this.all()).find((m) => m.id === id);
  }

  /** The mailbox an address (or alias) belongs to. */
  async byAddress(address: string): Promise<Mailbox | undefined> {
    const wanted = normalizeEmail(address);
    return (await this.all()).find((m) => m.settings.address === wanted || m.settings.aliases.includes(wanted));
  }

  /** Every address and alias of every mailbox: mail from them is our own. */
  async ownAddresses(): Promise<Set<string>> {
    return new Set((await this.all()).flatMap((m) => [m.settings.address, ...m.settings.aliases]));
  }

  forget(): void {
    this.cache = undefined;
  }
}
