import type { MailLimits, SmtpSettings } from '@helpdesk/mail';

/** The mail channel's settings, from the server configuration (apps/server config.ts). */
export interface MailConfig {
  /** Pollers and the outbox run (off in tools that only read). */
  readonly enabled: boolean;
  readonly limits: MailLimits;
  /** Server-wide SMTP; null means: write .eml files to `outboxDir` (the embedded default). */
  readonly smtp: SmtpSettings | null;
  readonly outboxDir: string;
  /** From address and Message-ID domain when a request has no mailbox. */
  readonly defaultFrom: string;
  /** Identifies this installation in X-Helpdesk-Loop, so our own mail coming back is recognised. */
  readonly loopToken: string;
  /** At most this many automatic mails per address per window (a backstop against loops). */
  readonly autoReplyLimit: number;
  readonly autoReplyWindowMinutes: number;
  /** No auto-reply to mail older than this (a newly connected mailbox full of old mail). */
  readonly autoReplyMaxAgeHours: number;
  readonly send: { readonly maxAttempts: number; readonly backoffSeconds: number; readonly maxBackoffSeconds: number };
  /** Test servers with self-signed certificates. */
  readonly allowInvalidCertificates: boolean;
}

export const MAIL_CONFIG = Symbol('MailConfig');
