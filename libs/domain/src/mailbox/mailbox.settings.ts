/**
 * A mailbox as configured through the API (requests-domain §1.14). Secrets are never part of it:
 * `secretRef` names where the password is kept (`secret:<id>` in the secret store, or `env:<NAME>`),
 * because events are permanent and auditors read them.
 */
export type TlsMode = 'implicit' | 'starttls' | 'none';

export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly user: string;
  readonly secretRef: string;
}

export interface ImapSettings extends ServerSettings {
  readonly folder: string;
}

export interface AutoReplySettings {
  readonly enabled: boolean;
  /** Placeholders: {{number}}, {{title}}, {{subject}}, {{name}}, {{mailbox}}. */
  readonly subject: string;
  readonly body: string;
  /** Also answer mail on an existing request (off: only a new request is acknowledged). */
  readonly onFollowUps: boolean;
}

export interface MailboxSettings {
  readonly name: string;
  /** Normalised; also the From of everything sent for its requests. */
  readonly address: string;
  readonly aliases: readonly string[];
  /** Null: mail arrives only through POST /mail/inbound (an MTA pipe or a webhook). */
  readonly imap: ImapSettings | null;
  /** Null: the server's SMTP settings. */
  readonly smtp: ServerSettings | null;
  readonly categoryId: string | null;
  readonly priorityId: string | null;
  readonly autoReply: AutoReplySettings;
  /** An unknown sender becomes a new contact (off for GDPR: the request then has none). */
  readonly createContacts: boolean;
  readonly pollIntervalSeconds: number;
  readonly enabled: boolean;
}

export const DEFAULT_AUTO_REPLY: AutoReplySettings = {
  enabled: false,
  subject: 'Re: {{subject}}',
  body: 'Thank you for your message. We have registered it as request #{{number}} and will answer as soon as we can.\n\nPlease keep [#{{number}}] in the subject when you write about it.',
  onFollowUps: false,
};
