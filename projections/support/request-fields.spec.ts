import { evolveRequest, initialRequestState, type ExistingRequest, type InboundEmailFacts, type RequestEvent } from '@helpdesk/domain';
import { created, customerMessage, edited, flagged, forwarded, messageAccessLevelChanged, movedIn, noted, replied, REQ, snapshot, T, unflagged } from '../testing/events';
import { changesRequestFields, foldRequestFields, MESSAGE_ONLY_EVENTS, REQUEST_CORE_KEYS, REQUEST_EVENT_TYPES } from './request-fields';

const INBOUND: InboundEmailFacts = {
  direction: 'inbound',
  mailboxId: 'mbx-support',
  messageIdHeader: 'cafe1@mail.acme.test',
  inReplyTo: null,
  references: [],
  subject: 'Printer jams',
  from: 'petra@acme.test',
  fromName: 'Petra',
  to: ['support@helpdesk.test'],
  cc: [],
  html: null,
  attachments: [],
  rawBlob: 'a'.repeat(64),
  classification: 'normal',
  bounce: null,
};

/** #1042 with Petra's enquiry (m-1) and Bob's reply (m-2, to be mailed): every request field set. */
const request = [
  created({ ownerId: 'bob', tags: ['printer'], contactIds: ['petra', 'olle'], postponedUntil: null }),
  customerMessage(),
  replied(),
].reduce(evolveRequest, initialRequestState()) as ExistingRequest;

/** One of each: a new type listed in MESSAGE_ONLY_EVENTS does not compile until it has its example here. */
const examples: Record<(typeof MESSAGE_ONLY_EVENTS)[number], RequestEvent> = {
  CustomerMessageAdded: customerMessage({ messageId: 'm-7', at: T(70) }),
  ReplyAdded: replied({ messageId: 'm-8', at: T(80) }),
  InternalNoteAdded: noted(),
  RequestForwarded: forwarded(),
  MessageEdited: edited(),
  MessageAccessLevelChanged: messageAccessLevelChanged(),
  MessageFlagged: flagged(),
  MessageUnflagged: unflagged(),
  MessagesMovedIn: movedIn({ requestId: REQ.requestId, messages: [snapshot({ messageId: 'm-9', flagged: true })] }),
  EmailReceived: {
    type: 'EmailReceived',
    data: {
      requestId: REQ.requestId,
      messageId: 'm-10',
      body: 'Your mail to petra@acme.test bounced.',
      role: 'external',
      accessLevel: 'internal',
      contactId: null,
      followUpOf: null,
      // A bounce of m-2: it changes m-2's delivery too.
      email: { ...INBOUND, bounce: { messageId: 'm-2', status: '5.1.1', recipients: ['petra@acme.test'], permanent: true } },
      at: T(100),
    },
  },
  AutoReplyQueued: {
    type: 'AutoReplyQueued',
    data: {
      requestId: REQ.requestId,
      messageId: 'm-ack',
      kind: 'acknowledgement',
      to: ['petra@acme.test'],
      subject: 'Re',
      body: 'We have it.',
      inReplyToMessageId: 'm-1',
      at: T(1),
    },
  },
  EmailSent: {
    type: 'EmailSent',
    data: { requestId: REQ.requestId, messageId: 'm-2', attempt: 1, messageIdHeader: 'r@helpdesk.test', recipients: ['petra@acme.test'], at: T(31) },
  },
  EmailSendFailed: {
    type: 'EmailSendFailed',
    data: { requestId: REQ.requestId, messageId: 'm-2', attempt: 1, error: '421', permanent: false, nextAttemptAt: T(40), at: T(31) },
  },
  EmailSuppressed: { type: 'EmailSuppressed', data: { requestId: REQ.requestId, messageId: 'm-2', reason: 'loop', at: T(31) } },
};

const requestFieldsOf = ({ messages: _messages, ...fields }: ExistingRequest) => fields;

describe('request fields', () => {
  describe.each(MESSAGE_ONLY_EVENTS)('%s', (type) => {
    const after = evolveRequest(request, examples[type]) as ExistingRequest;

    it('changes messages only, as evolveRequest folds it', () => {
      expect(after.messages).not.toBe(request.messages);
      // The same fields, each the same value or object: nothing but the messages moved.
      const before = requestFieldsOf(request);
      const now = requestFieldsOf(after);
      expect(Object.keys(now)).toEqual(Object.keys(before));
      for (const field of Object.keys(before) as (keyof typeof before)[]) expect(now[field]).toBe(before[field]);
    });

    it('is not folded by the read models', () => expect(changesRequestFields(type)).toBe(false));
  });

  it('folds every other request event', () =>
    expect(REQUEST_EVENT_TYPES.filter(changesRequestFields)).toEqual(
      REQUEST_EVENT_TYPES.filter((type) => !(MESSAGE_ONLY_EVENTS as readonly string[]).includes(type)),
    ));

  it('folds the kept fields as evolveRequest does, whatever the read model keeps', () => {
    const keepSome = foldRequestFields(['title', 'ownerId', 'tags'] as const);
    const keepAll = foldRequestFields(REQUEST_CORE_KEYS);
    const accept: RequestEvent = {
      type: 'RequestAccepted',
      data: { requestId: REQ.requestId, ownerId: 'carol', previousOwnerId: 'bob', statusId: 'in-progress', baseStatus: 'open' },
    };
    const expected = evolveRequest(request, accept) as ExistingRequest;
    const some = keepSome({ title: request.title, ownerId: request.ownerId, tags: request.tags }, accept);
    expect(some).toMatchObject({ title: expected.title, ownerId: 'carol', tags: ['printer'] });
    expect(keepAll(request, accept)).toMatchObject(Object.fromEntries(REQUEST_CORE_KEYS.map((key) => [key, expected[key]])));
    expect(keepAll(null, accept)).toBeNull();
  });
});
