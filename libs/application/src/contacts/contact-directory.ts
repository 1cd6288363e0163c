import { Injectable } from '@nestjs/common';
import { contactDecider, contactEmailDecider, normalizeEmail, type ContactState } from '@helpdesk/domain';
import { UnknownReference } from '../errors';
import { StreamLoader } from '../event-sourcing/stream-loader';
import { Streams } from '../support/streams';

/** Write-side look-ups of contacts that request commands refer to. */
@Injectable()
export class ContactDirectory {
  constructor(private readonly loader: StreamLoader) {}

  async get(contactId: string): Promise<ContactState> {
    return (await this.loader.load(Streams.contact(contactId), contactDecider)).state;
  }

  /** The contact that holds this address, from its reservation stream (no read model needed). */
  async findByEmail(email: string): Promise<string | undefined> {
    const { state } = await this.loader.load(Streams.contactEmail(normalizeEmail(email)), contactEmailDecider);
    return state.holderId ?? undefined;
  }

  async mustAllExist(contactIds: readonly string[]): Promise<void> {
    for (const contactId of new Set(contactIds)) {
      // A contact, once created, exists for good: one the loader has seen needs no read.
      if (this.loader.knownToExist(Streams.contact(contactId))) continue;
      const snapshot = await this.loader.load(Streams.contact(contactId), contactDecider);
      if (snapshot.revision === undefined) throw new UnknownReference('unknown-contact', `No contact ${contactId}`);
    }
  }
}
