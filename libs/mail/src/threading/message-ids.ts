import { createHash } from 'node:crypto';

/**
 * Message-IDs as the mail channel compares them: without angle brackets, trimmed, in lower case (some
 * relays change the case of the domain; a collision from folding the local part is not a real risk).
 */
export const normalizeMessageId = (raw: string | null | undefined): string | null => {
  if (!raw) return null;
  const inner = /<([^<>]+)>/.exec(raw)?.[1] ?? raw;
  const id = inner.replace(/\s+/g, '').toLowerCase();
  return id.length > 0 && id.length <= 500 ? id : null;
};

/** In-Reply-To / References: every `<id>` (or, from sloppy mailers, whitespace-separated ids), in order, each once. */
export const messageIdList = (raw: string | readonly string[] | null | undefined): string[] => {
  if (!raw) return [];
  const text = Array.isArray(raw) ? raw.join(' ') : String(raw);
  const bracketed = [...text.matchAll(/<([^<>]+)>/g)].map((m) => m[1]!);
  const ids = (bracketed.length > 0 ? bracketed : text.split(/[\s,]+/)).map((id) => normalizeMessageId(id)).filter((id): id is string => id !== null && id.includes('@'));
  return [...new Set(ids)];
};

/**
 * Our own Message-IDs encode where a message belongs: `helpdesk.<requestId>.<messageId>@<domain>`.
 * A reply that quotes one threads back without any lookup, even if the claim streams were lost.
 */
const OURS = /^helpdesk\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]{1,64})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]{1,64})@/;

export const ourMessageId = (requestId: string, messageId: string, domain: string): string => `helpdesk.${requestId}.${messageId}@${domain.toLowerCase()}`;

export const parseOurMessageId = (id: string): { requestId: string; messageId: string } | null => {
  const match = OURS.exec(id.toLowerCase());
  return match ? { requestId: match[1]!, messageId: match[2]! } : null;
};

/** The domain our Message-IDs carry: the sending mailbox's, so From and Message-ID agree. */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * A key for mail without a Message-ID: the hash of what its sender wrote (addresses, date, subject,
 * body), not of the transport headers a second delivery changes (Received, Delivered-To, Return-Path).
 */
export const contentKey = (parts: { from: string; to: readonly string[]; date: string | null; subject: string; body: Buffer }): string => {
  const hash = createHash('sha256')
    .update([parts.from, parts.to.join(','), parts.date ?? '', parts.subject].join('\n'))
    .update('\n\n')
    .update(parts.body)
    .digest('hex');
  return `content.${hash}@helpdesk.invalid`;
};
