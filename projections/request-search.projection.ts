import type { MessageSnapshot, RequestEvent } from '@helpdesk/domain';
import { projection, type Projected } from './projection';
import { occurredAt, stringField } from './support/event-facts';
import { latestText } from './support/message-ledger';
import { asRequestEvent, changesRequestFields, foldRequestFields, REQUEST_EVENT_TYPES, type RequestCore } from './support/request-fields';

const SEARCH_KEYS = ['id', 'number', 'title', 'tags', 'contactIds', 'categoryId', 'baseStatus', 'accessLevel'] as const;

/** The text of the messages on a request: bodies[i] is the latest text of message messageIds[i]. */
interface Texts {
  /** The latest version of each message's text, in message order. */
  readonly bodies: readonly string[];
  /** The message each body belongs to (same order as bodies), so edits and moves find theirs. */
  readonly messageIds: readonly string[];
}

/**
 * One document per request (id = requestId) for full-text search over its title, tags and the latest
 * text of every message on it. Filters: category (access restrictions), base status (merged and
 * deleted requests are left out by the caller), contact. A merged source's texts are on its target
 * while merged, so a search finds the target; the source is still found by number (request-summaries).
 */
export interface RequestSearchDocument extends Pick<RequestCore, (typeof SEARCH_KEYS)[number]>, Texts, Projected {
  readonly updatedAt: string;
}

const NO_TEXTS: Texts = { bodies: [], messageIds: [] };
const foldFields = foldRequestFields(SEARCH_KEYS);

export const requestSearch = projection<RequestSearchDocument>({
  name: 'request-search',
  version: 1,
  // Every request event: updatedAt means the same here as in request-summaries.
  handles: REQUEST_EVENT_TYPES,
  id: (e) => stringField(e, 'requestId'),
  evolve: (doc, e) => {
    const event = asRequestEvent(e);
    let fields: Pick<RequestCore, (typeof SEARCH_KEYS)[number]> | null = doc;
    if (doc === null || changesRequestFields(event.type)) fields = foldFields(doc, event);
    if (fields === null) return null;
    const texts = evolveTexts(doc ?? NO_TEXTS, event);
    return {
      id: fields.id,
      number: fields.number,
      title: fields.title,
      tags: fields.tags,
      contactIds: fields.contactIds,
      categoryId: fields.categoryId,
      baseStatus: fields.baseStatus,
      accessLevel: fields.accessLevel,
      bodies: texts.bodies,
      messageIds: texts.messageIds,
      updatedAt: occurredAt(e),
      _position: e.position,
    };
  },
  // Search filters by category and base status, tested on each hit (the store keeps their keys beside the
  // documents: no JSON is parsed for them). Nothing lists this collection by contact: that is request-summaries'
  // (a multikey index here cost a side table of every request's contacts, rebuilt with every rebuild).
  indexes: [
    { name: 'by_category_updated', fields: ['categoryId', 'updatedAt'] },
    { name: 'by_base_updated', fields: ['baseStatus', 'updatedAt'] },
  ],
  // In order of weight: a hit in the title counts more than one in a tag, one in a tag more than in a body.
  text: { fields: ['title', 'tags', 'bodies'] },
});

/** The texts after the event: the same object when it changes none, otherwise new arrays. */
const evolveTexts = (texts: Texts, event: RequestEvent): Texts => {
  switch (event.type) {
    case 'CustomerMessageAdded':
    case 'ReplyAdded':
    case 'InternalNoteAdded':
    case 'EmailReceived':
    case 'AutoReplyQueued':
      return appendOne(texts, event.data.messageId, event.data.body);
    case 'RequestForwarded':
      return appendOne(texts, event.data.messageId, event.data.note);
    case 'MessageEdited': {
      const i = texts.messageIds.indexOf(event.data.messageId);
      if (i < 0 || texts.bodies[i] === event.data.body) return texts;
      const bodies = texts.bodies.slice();
      bodies[i] = event.data.body;
      return { bodies, messageIds: texts.messageIds };
    }
    case 'RequestSplit':
    case 'RequestUnmerged':
    case 'RequestMerged':
      // They left (to the new request, back to the source, to the target): found there from now on.
      return remove(texts, event.data.messages);
    case 'MessagesMovedIn':
    case 'MergedRequestJoined':
      return event.data.messages.reduce((sofar, m) => appendOne(sofar, m.messageId, latestText(m)), texts);
    case 'RequestMergeUndone':
      return { bodies: event.data.messages.map(latestText), messageIds: event.data.messages.map((m) => m.messageId) };
    default:
      return texts;
  }
};

/** Message ids are unique on a request: one that is here already is not added again. */
const appendOne = (texts: Texts, messageId: string, body: string): Texts =>
  texts.messageIds.includes(messageId) ? texts : { bodies: [...texts.bodies, body], messageIds: [...texts.messageIds, messageId] };

const remove = (texts: Texts, messages: readonly MessageSnapshot[]): Texts => {
  const leaving = new Set(messages.map((m) => m.messageId));
  const bodies: string[] = [];
  const messageIds: string[] = [];
  texts.messageIds.forEach((messageId, i) => {
    if (leaving.has(messageId)) return;
    bodies.push(texts.bodies[i] ?? '');
    messageIds.push(messageId);
  });
  return messageIds.length === texts.messageIds.length ? texts : { bodies, messageIds };
};
