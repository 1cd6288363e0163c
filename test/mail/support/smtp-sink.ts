import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** An SMTP server (the smtp-server package) that keeps what it receives and fails when told to. */
export interface SmtpSink {
  readonly port: number;
  readonly received: ParsedMail[];
  /** Message-IDs of every attempt, including those it refused. */
  readonly attempts: string[];
  /** The next n messages are refused with 451 (try again later). */
  failNext(n: number): void;
  /** Recipients refused with 550 (no such user). */
  rejectRecipient(address: string | null): void;
  stop(): Promise<void>;
}

export const startSmtpSink = async (): Promise<SmtpSink> => {
  let failures = 0;
  let rejected: string | null = null;
  const received: ParsedMail[] = [];
  const attempts: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejected && address.address.toLowerCase() === rejected) return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      return callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const mail = await simpleParser(Buffer.concat(chunks));
        attempts.push(mail.messageId ?? '');
        if (failures > 0) {
          failures--;
          return callback(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
        }
        received.push(mail);
        return callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    received,
    attempts,
    failNext: (n) => (failures = n),
    rejectRecipient: (a) => (rejected = a),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
