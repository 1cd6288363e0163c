/**
 * What a message on a request knows about the mail it came as or went out as. Inbound facts come with
 * EmailReceived; outbound facts (delivery) with EmailSent / EmailSendFailed / EmailSuppressed and a
 * bounce that names the message. Secrets and raw bytes are never here: the raw message and the
 * attachments are referenced by the sha256 of their bytes in the blob store.
 */

/** How the mail channel sorted an inbound message (RFC 3834 auto-responses, RFC 3464 bounces, list mail). */
export type EmailClassification = 'normal' | 'auto-reply' | 'bounce' | 'list';

export interface AttachmentRef {
  /** sha256 of the bytes, hex: the blob store's key. */
  readonly blob: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Content-ID without brackets, for `cid:` references in the HTML; null when none. */
  readonly contentId: string | null;
  /** Shown in the text (an inline image) rather than offered as a file. */
  readonly inline: boolean;
}

/** A DSN that names one of our outbound messages. */
export interface BounceFacts {
  /** Our message id on the request whose delivery failed, when the bounce names one of ours. */
  readonly messageId: string | null;
  readonly recipients: readonly string[];
  /** The DSN status code, e.g. 5.1.1. */
  readonly status: string | null;
  /** 5.x.x: delivery will not succeed later either. */
  readonly permanent: boolean;
}

export interface InboundEmailFacts {
  readonly direction: 'inbound';
  readonly mailboxId: string;
  /** Normalised Message-ID (no angle brackets, domain in lower case), or a content key when it had none. */
  readonly messageIdHeader: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly subject: string;
  readonly from: string;
  readonly fromName: string | null;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** Sanitised: no scripts, event handlers, forms or remote-code URLs survive. Null when the mail had no HTML. */
  readonly html: string | null;
  readonly attachments: readonly AttachmentRef[];
  /** sha256 of the raw RFC 822 bytes as received. */
  readonly rawBlob: string;
  readonly classification: EmailClassification;
  readonly bounce: BounceFacts | null;
}

export type DeliveryStatus = 'sent' | 'failed' | 'suppressed' | 'bounced';

export interface OutboundEmailFacts {
  readonly direction: 'outbound';
  readonly status: DeliveryStatus;
  /** Our Message-ID for it, once it was sent. */
  readonly messageIdHeader: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly sentAt: string | null;
}

export type EmailFacts = InboundEmailFacts | OutboundEmailFacts;

/** What the mailbox would send back automatically; the decider drops it where the rules say no. */
export interface AutoReplyDraft {
  readonly messageId: string;
  readonly kind: 'acknowledgement' | 'auto-reply';
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
}

/**
 * RFC 3834: never answer an automatic message automatically. Auto-responders, bounces and list mail
 * get no auto-reply, whatever the mailbox says; the outbox adds a per-address rate limit as a backstop.
 */
export const mayAutoReply = (classification: EmailClassification): boolean => classification === 'normal';
