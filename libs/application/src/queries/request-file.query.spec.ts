import type { MessageSnapshot } from '@helpdesk/domain';
import { requestFiles } from './request-file.query';

const file = (blob: string, filename: string) => ({ blob: blob.repeat(64), filename, contentType: 'application/pdf', size: 10, contentId: null, inline: false });
const message = (messageId: string, extra: Partial<MessageSnapshot>) => ({ messageId, ...extra }) as MessageSnapshot;

describe('requestFiles', () => {
  it('lists what replies sent, what mail brought and each mail as received; notes carry none', () => {
    const inbound = message('msg-1', {
      email: { direction: 'inbound', rawBlob: 'a'.repeat(64), attachments: [file('b', 'invoice.pdf')] } as unknown as MessageSnapshot['email'],
    });
    const reply = message('msg-2', { attachments: [file('c', 'answer.pdf')] });
    const note = message('msg-3', {});
    const sent = message('msg-4', { email: { direction: 'outbound', status: 'sent' } as unknown as MessageSnapshot['email'] });
    expect(requestFiles([inbound, reply, note, sent]).map((f) => [f.blob[0], f.filename, f.contentType])).toEqual([
      ['b', 'invoice.pdf', 'application/pdf'],
      ['a', 'message-msg-1.eml', 'message/rfc822'],
      ['c', 'answer.pdf', 'application/pdf'],
    ]);
  });

  it('has nothing for a request without files', () => expect(requestFiles([message('msg-1', {})])).toEqual([]));
});
