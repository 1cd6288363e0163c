import { mkdirSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { toNodemailer, type OutboundMail } from './outbound-mail';

export interface SendResult {
  readonly accepted: string[];
  readonly rejected: string[];
  readonly response: string;
}

/** A failed send; `permanent` (a 5xx answer) means trying again will not help. */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

/** Hands a message to a mail server (or, in the embedded default without SMTP, to a folder). */
export interface MailSender {
  send(mail: OutboundMail): Promise<SendResult>;
  close(): void;
}

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: 'implicit' | 'starttls' | 'none';
  readonly user: string | null;
  readonly password: string | null;
  /** Accept self-signed certificates (test servers). */
  readonly allowInvalidCertificates?: boolean;
}

/** nodemailer over SMTP, pooled. Errors never carry the password: nodemailer does not echo AUTH. */
export class SmtpMailSender implements MailSender {
  private readonly transport: Transporter;

  constructor(settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.tls === 'implicit',
      requireTLS: settings.tls === 'starttls',
      ignoreTLS: settings.tls === 'none',
      auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
      pool: true,
      maxConnections: 4,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      tls: settings.allowInvalidCertificates ? { rejectUnauthorized: false } : undefined,
    });
  }

  async send(mail: OutboundMail): Promise<SendResult> {
    try {
      const info = await this.transport.sendMail(toNodemailer(mail, new Date()));
      const rejected = (info.rejected ?? []).map(String);
      const accepted = (info.accepted ?? []).map(String);
      if (accepted.length === 0) throw new SendFailure(`Every recipient was refused: ${info.response}`, true);
      return { accepted, rejected, response: String(info.response ?? '') };
    } catch (error) {
      if (error instanceof SendFailure) throw error;
      const code = (error as { responseCode?: number }).responseCode;
      const message = error instanceof Error ? error.message : String(error);
      throw new SendFailure(message, typeof code === 'number' && code >= 500 && code < 600);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Without SMTP settings (the embedded default), mail is written to a folder as .eml files, so that a
 * newcomer sees what would have gone out. Written whole (temp file, fsync, rename).
 */
export class EmlFileSender implements MailSender {
  private readonly transport: Transporter;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  async send(mail: OutboundMail): Promise<SendResult> {
    const info = await this.transport.sendMail(toNodemailer(mail, new Date()));
    const bytes = info.message as unknown as Buffer;
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^A-Za-z0-9.@-]/g, '_')}.eml`;
    const temporary = join(this.dir, `.${name}.tmp`);
    // Asynchronous file I/O: the fsyncs run on libuv's threads, not on the event loop the API shares.
    const file = await open(temporary, 'w', 0o640);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(this.dir, name));
    const directory = await open(this.dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    const recipients = [...mail.to, ...mail.cc, ...mail.bcc];
    return { accepted: recipients, rejected: [], response: `written to ${name}` };
  }

  close(): void {
    this.transport.close();
  }
}
