import { contentKey, messageIdList, normalizeMessageId, ourMessageId, parseOurMessageId } from './message-ids';
import { baseSubject, replySubject, taggedNumber } from './subject-tag';

describe('Message-IDs', () => {
  it('normalises: no brackets, no blanks, lower case', () => expect(normalizeMessageId(' <CAF1@Mail.Example> ')).toBe('caf1@mail.example'));

  it('reads References in order, each once, with or without brackets', () => {
    expect(messageIdList('<a@x> <B@x>\r\n <a@x>')).toEqual(['a@x', 'b@x']);
    expect(messageIdList('a@x, b@x')).toEqual(['a@x', 'b@x']);
    expect(messageIdList(undefined)).toEqual([]);
  });

  it('encodes and decodes our own scheme', () => {
    const id = ourMessageId('0199a1b2-0000-7000-8000-000000000001', '0199a1b2-0000-7000-8000-000000000002', 'Helpdesk.TEST');
    expect(id).toBe('helpdesk.0199a1b2-0000-7000-8000-000000000001.0199a1b2-0000-7000-8000-000000000002@helpdesk.test');
    expect(parseOurMessageId(id.toUpperCase())).toEqual({ requestId: '0199a1b2-0000-7000-8000-000000000001', messageId: '0199a1b2-0000-7000-8000-000000000002' });
    expect(parseOurMessageId('caf1@mail.example')).toBeNull();
  });

  it('keys content without the transport', () => {
    const parts = { from: 'a@x', to: ['b@x'], date: null, subject: 's', body: Buffer.from('body') };
    expect(contentKey(parts)).toBe(contentKey({ ...parts }));
    expect(contentKey(parts)).not.toBe(contentKey({ ...parts, subject: 't' }));
  });
});

describe('subject tags', () => {
  it('finds the number', () => {
    expect(taggedNumber('RE: AW: Invoice [#1042]')).toBe(1042);
    expect(taggedNumber('Invoice #1042')).toBeNull();
  });

  it('strips reply prefixes in several languages and the tag', () => expect(baseSubject('AW: Re[2]: SV: Invoice [#12] ')).toBe('Invoice'));

  it('makes a reply subject with the tag once', () => expect(replySubject('Re: Invoice [#12]', 12)).toBe('Re: Invoice [#12]'));
});
