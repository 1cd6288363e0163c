import type Mail from 'nodemailer/lib/mailer';
import { LOOP_HEADER } from '../classify/classify';

/** One outbound message, as the outbox composed it: everything the wire format needs, nothing more. */
export interface OutboundMail {
  readonly from: { readonly name: string; readonly address: string };
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** Our Message-ID, without angle brackets. Deterministic: a resend carries the same one. */
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  /** Acknowledgements and auto-replies: `Auto-Submitted: auto-replied` (RFC 3834). */
  readonly automatic: boolean;
  /** Written as X-Helpdesk-Loop so that our own mail coming back is recognised. */
  readonly loopToken: string;
  readonly attachments: readonly { readonly filename: string; readonly contentType: string; readonly content: Buffer; readonly cid?: string }[];
}

const bracket = (id: string): string => `<${id}>`;

export const toNodemailer = (mail: OutboundMail, date: Date): Mail.Options => ({
  from: { name: mail.from.name, address: mail.from.address },
  to: [...mail.to],
  cc: mail.cc.length > 0 ? [...mail.cc] : undefined,
  bcc: mail.bcc.length > 0 ? [...mail.bcc] : undefined,
  subject: mail.subject,
  text: mail.text,
  messageId: bracket(mail.messageId),
  inReplyTo: mail.inReplyTo ? bracket(mail.inReplyTo) : undefined,
  references: mail.references.length > 0 ? mail.references.map(bracket) : undefined,
  date,
  headers: {
    [LOOP_HEADER]: mail.loopToken,
    ...(mail.automatic
      ? {
          'Auto-Submitted': 'auto-replied',
          // Exchange and Outlook: no out-of-office answer to this, please.
          'X-Auto-Response-Suppress': 'All',
        }
      : {}),
  },
  attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, ...(a.cid ? { cid: a.cid } : {}) })),
});
