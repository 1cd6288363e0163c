import { Injectable } from '@nestjs/common';
import { messageIdClaimDecider, normalizeEmail, requestDecider, threadedRequestOf, type ExistingRequest } from '@helpdesk/domain';
import { parseOurMessageId, taggedNumber, type ParsedEmail } from '@helpdesk/mail';
import { StreamLoader } from '../event-sourcing/stream-loader';
import { RequestNumbers } from '../requests/request-numbers';
import { Streams } from '../support/streams';

export type ThreadMatch =
  | { readonly kind: 'request'; readonly requestId: string; readonly via: 'our-message-id' | 'message-id' | 'subject-tag' | 'bounce' }
  | { readonly kind: 'none' };

/**
 * Where an inbound mail belongs (requests-domain §4.2, peers §3 lessons 1–2), in this order:
 * 1. our own Message-ID scheme in In-Reply-To / References (decoded, no lookup);
 * 2. In-Reply-To, then References from the newest, against every Message-ID we stored (claims);
 * 3. for a bounce, the Message-ID of the returned mail;
 * 4. the subject tag [#1042], only when the sender is a contact of that request or an address it wrote to.
 * A request that was merged leads to its target; a message that was split off, to the request it went to.
 */
@Injectable()
export class ThreadResolver {
  constructor(
    private readonly loader: StreamLoader,
    private readonly numbers: RequestNumbers,
  ) {}

  async resolve(mail: ParsedEmail, mailboxId: string, senderContactId: string | undefined): Promise<ThreadMatch> {
    const referenced = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()].filter((id, i, all) => all.indexOf(id) === i);

    for (const id of referenced) {
      const ours = parseOurMessageId(id);
      if (!ours) continue;
      const requestId = await this.whereIs(ours.requestId, ours.messageId);
      if (requestId) return { kind: 'request', requestId, via: 'our-message-id' };
    }
    for (const id of referenced) {
      const requestId = await this.claimed(id, mailboxId);
      if (requestId) return { kind: 'request', requestId, via: 'message-id' };
    }
    const returned = mail.deliveryReport?.originalMessageId;
    if (returned) {
      const ours = parseOurMessageId(returned);
      const requestId = ours ? await this.whereIs(ours.requestId, ours.messageId) : await this.claimed(returned, mailboxId);
      if (requestId) return { kind: 'request', requestId, via: 'bounce' };
    }
    const number = taggedNumber(mail.subject);
    if (number !== null && mail.from) {
      const id = await this.numbers.resolve(number);
      const requestId = id ? await this.whereIs(id, null) : undefined;
      const request = requestId ? await this.request(requestId) : undefined;
      if (request && isParticipant(request, mail.from.address, senderContactId)) return { kind: 'request', requestId: request.id, via: 'subject-tag' };
    }
    return { kind: 'none' };
  }

  /** The request of a claimed Message-ID (this mailbox's claim first). */
  private async claimed(messageId: string, mailboxId: string): Promise<string | undefined> {
    const { state } = await this.loader.load(Streams.messageId(messageId), messageIdClaimDecider);
    const claim = threadedRequestOf(state, mailboxId);
    return claim?.requestId ? this.whereIs(claim.requestId, claim.messageId) : undefined;
  }

  /** Follows merges to the target and a split-off message to its new request; undefined for no such request. */
  async whereIs(requestId: string, messageId: string | null): Promise<string | undefined> {
    let id = requestId;
    for (let hops = 0; hops < 32; hops++) {
      const request = await this.request(id);
      if (!request) return undefined;
      if (request.mergedInto) {
        id = request.mergedInto.requestId;
        continue;
      }
      if (messageId !== null && !request.messages.some((m) => m.messageId === messageId)) {
        for (const split of request.splitInto) {
          const there = await this.request(split.requestId);
          if (there?.messages.some((m) => m.messageId === messageId)) return this.whereIs(split.requestId, messageId);
        }
      }
      return id;
    }
    return id;
  }

  async request(requestId: string): Promise<ExistingRequest | undefined> {
    const { state } = await this.loader.load(Streams.request(requestId), requestDecider);
    return state.kind === 'existing' ? state : undefined;
  }
}

/** A contact of the request, or an address the request wrote to (a reply's or a forward's To/Cc). */
export const isParticipant = (request: ExistingRequest, address: string, contactId: string | undefined): boolean => {
  if (contactId && request.contactIds.includes(contactId)) return true;
  const sender = normalizeEmail(address);
  return request.messages.some((m) => (m.kind === 'reply' || m.kind === 'forward' || m.kind === 'automatic') && (m.to.includes(sender) || m.cc.includes(sender)));
};

/** Someone the request forwarded to (an external party), who is not one of its contacts. */
export const isForwardRecipient = (request: ExistingRequest, address: string, contactId: string | undefined): boolean => {
  if (contactId && request.contactIds.includes(contactId)) return false;
  const sender = normalizeEmail(address);
  return request.messages.some((m) => m.kind === 'forward' && (m.to.includes(sender) || m.cc.includes(sender) || m.bcc.includes(sender)));
};
