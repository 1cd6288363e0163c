import { simpleParser, type AddressObject, type Attachment } from 'mailparser';
import { normalizeEmail, isEmailAddress } from '@helpdesk/domain';
import { repairCharsets } from './charset-repair';
import { sanitizeHtml } from './sanitize-html';
import { contentKey, messageIdList, normalizeMessageId } from '../threading/message-ids';

export interface MailLimits {
  /** The whole raw message. */
  readonly maxMessageBytes: number;
  /** Any single attachment. */
  readonly maxAttachmentBytes: number;
}

/** Mail that cannot be imported as it is; `code` is stable, `message` says what to fix. */
export class UnprocessableMail extends Error {
  constructor(
    readonly code: 'message-too-large' | 'attachment-too-large' | 'unparseable' | 'no-sender' | 'no-mailbox' | 'rejected',
    message: string,
  ) {
    super(message);
    this.name = 'UnprocessableMail';
  }
}

export interface MailAddress {
  readonly address: string;
  readonly name: string | null;
}

export interface ParsedAttachment {
  readonly content: Buffer;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly contentId: string | null;
  readonly inline: boolean;
}

export interface DeliveryReport {
  readonly recipients: string[];
  readonly status: string | null;
  readonly action: string | null;
  /** The Message-ID of the mail that could not be delivered, from the returned message or its headers. */
  readonly originalMessageId: string | null;
}

export interface ParsedEmail {
  /** Normalised; for mail without one, a content key (see contentKey). */
  readonly messageId: string;
  readonly hadMessageId: boolean;
  readonly inReplyTo: string | null;
  readonly references: string[];
  readonly subject: string;
  readonly date: string | null;
  readonly from: MailAddress | null;
  readonly replyTo: MailAddress | null;
  readonly to: MailAddress[];
  readonly cc: MailAddress[];
  readonly text: string;
  /** Sanitised. */
  readonly html: string | null;
  readonly attachments: ParsedAttachment[];
  /** Raw header values by lower-case name (first occurrence), for classification. */
  readonly headers: ReadonlyMap<string, string>;
  readonly contentType: string;
  readonly deliveryReport: DeliveryReport | null;
}

/** Event payloads stay bounded; the raw message keeps everything. */
const MAX_TEXT = 200_000;
const MAX_HTML = 500_000;

const addresses = (value: AddressObject | AddressObject[] | undefined): MailAddress[] => {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: MailAddress[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      const address = normalizeEmail(entry.address ?? '');
      if (isEmailAddress(address) && !out.some((a) => a.address === address)) out.push({ address, name: entry.name?.trim() || null });
    }
  };
  for (const item of list) visit(item.value);
  return out;
};

const cut = (text: string, max: number, note: string): string => (text.length <= max ? text : `${text.slice(0, max)}\n\n[${note}]`);

const headerMap = (lines: readonly { key: string; line: string }[]): Map<string, string> => {
  const map = new Map<string, string>();
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    if (map.has(name)) continue;
    map.set(name, line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return map;
};

const field = (text: string, name: string): string | null => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(text)?.[1]?.trim() ?? null;

/**
 * RFC 3464: the per-recipient fields of a DSN, and the Message-ID of the returned mail. mailparser
 * folds the message/delivery-status part into the text, so the fields are read from the raw part.
 */
const deliveryReportOf = (raw: Buffer, contentType: string, attachments: readonly Attachment[]): DeliveryReport | null => {
  if (!/multipart\/report/i.test(contentType)) return null;
  const text = raw.toString('latin1');
  const at = text.search(/content-type:\s*message\/(global-)?delivery-status/i);
  if (at === -1) return null;
  const end = text.indexOf('\n--', at);
  const part = text.slice(at, end === -1 ? undefined : end);
  const recipients = [...part.matchAll(/^(?:final|original)-recipient:\s*(?:rfc822;)?\s*<?([^>\s]+)>?/gim)]
    .map((m) => normalizeEmail(m[1]!))
    .filter((a, i, all) => isEmailAddress(a) && all.indexOf(a) === i);
  const returned = attachments.find((a) => /^(message\/(global|rfc822)|text\/rfc822-headers|message\/global-headers)$/i.test(a.contentType));
  const originalMessageId = returned ? normalizeMessageId(field(returned.content.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '', 'message-id')) : null;
  return { recipients, status: field(part, 'status'), action: field(part, 'action'), originalMessageId };
};

/**
 * Parses a raw RFC 822 message (mailparser) after repairing undeclared charsets; enforces the size
 * limits with a reason people can act on; sanitises the HTML. Throws UnprocessableMail.
 */
export const parseEmail = async (raw: Buffer, limits: MailLimits): Promise<ParsedEmail> => {
  if (raw.length > limits.maxMessageBytes) {
    throw new UnprocessableMail('message-too-large', `The message is ${megabytes(raw.length)}; the limit is ${megabytes(limits.maxMessageBytes)} (MAIL_MAX_MESSAGE_BYTES)`);
  }
  let parsed;
  try {
    // textAsHtml is never used: skipping it saves most of the parse time of plain-text mail.
    parsed = await simpleParser(repairCharsets(raw), { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: MAX_HTML * 4 });
  } catch (error) {
    throw new UnprocessableMail('unparseable', `The message cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const attachments: ParsedAttachment[] = [];
  for (const attachment of parsed.attachments) {
    if (attachment.size > limits.maxAttachmentBytes) {
      throw new UnprocessableMail(
        'attachment-too-large',
        `The attachment "${attachment.filename ?? 'unnamed'}" is ${megabytes(attachment.size)}; the limit is ${megabytes(limits.maxAttachmentBytes)} (MAIL_MAX_ATTACHMENT_BYTES)`,
      );
    }
    attachments.push({
      content: attachment.content,
      filename: attachment.filename ?? defaultName(attachment.contentType),
      contentType: attachment.contentType.toLowerCase(),
      size: attachment.size,
      contentId: attachment.cid ?? null,
      inline: attachment.contentDisposition === 'inline' || attachment.related === true,
    });
  }

  const headers = headerMap(parsed.headerLines);
  const from = addresses(parsed.from)[0] ?? addresses(parsed.headers.get('sender') as AddressObject | undefined)[0] ?? null;
  const to = addresses(parsed.to);
  const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim();
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null;
  const html = typeof parsed.html === 'string' ? sanitizeHtml(cut(parsed.html, MAX_HTML, 'truncated')) : null;
  const text = (parsed.text ?? '').replace(/\r\n/g, '\n').trim();
  const declared = normalizeMessageId(parsed.messageId);

  return {
    messageId: declared ?? contentKey({ from: from?.address ?? '', to: to.map((a) => a.address), date, subject, body: bodyOf(raw) }),
    hadMessageId: declared !== null,
    inReplyTo: messageIdList(parsed.inReplyTo)[0] ?? null,
    references: messageIdList(parsed.references).slice(-50),
    subject,
    date,
    from,
    replyTo: addresses(parsed.replyTo)[0] ?? null,
    to,
    cc: addresses(parsed.cc),
    text: cut(text, MAX_TEXT, 'The text goes on; the full message is kept as received'),
    html,
    attachments,
    headers,
    contentType: (headers.get('content-type') ?? 'text/plain').toLowerCase(),
    deliveryReport: deliveryReportOf(raw, headers.get('content-type') ?? '', parsed.attachments),
  };
};

/**
 * Who sent it and about what, from the header block alone: what a dead letter shows when the message
 * itself could not be imported (too large, unparseable). Undefined when not even that can be read.
 */
export const peekHeaders = async (raw: Buffer): Promise<{ messageId: string | null; subject: string | null; from: string | null }> => {
  try {
    const end = raw.subarray(0, 256 * 1024).indexOf('\r\n\r\n');
    const block = end === -1 ? raw.subarray(0, 64 * 1024) : raw.subarray(0, end + 4);
    const parsed = await simpleParser(repairCharsets(block));
    return { messageId: normalizeMessageId(parsed.messageId), subject: parsed.subject?.trim() || null, from: addresses(parsed.from)[0]?.address ?? null };
  } catch {
    return { messageId: null, subject: null, from: null };
  }
};

const bodyOf = (raw: Buffer): Buffer => {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const at = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf + 4 : lf !== -1 ? lf + 2 : raw.length;
  return raw.subarray(at);
};

const defaultName = (contentType: string): string => {
  if (/^message\/rfc822$/i.test(contentType)) return 'message.eml';
  const subtype = contentType.split('/')[1]?.split(/[;+]/)[0] ?? 'bin';
  return `attachment.${subtype}`;
};

export const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
