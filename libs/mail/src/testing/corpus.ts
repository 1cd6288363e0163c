import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The corpus of awkward real-world mail (see the .eml files beside this), with its placeholders filled in. */
export type CorpusName =
  | 'apple-mail-inline-image'
  | 'broken-mime'
  | 'dsn-bounce'
  | 'exchange-automatic-reply'
  | 'forwarded-chain'
  | 'gmail-reply'
  | 'html-with-scripts'
  | 'iso-2022-jp-undeclared'
  | 'iso-2022-jp'
  | 'list-mail'
  | 'no-message-id'
  | 'outlook-reply-no-in-reply-to'
  | 'outlook-reply'
  | 'vacation-auto-reply'
  | 'windows-1252-undeclared'
  | 'windows-1252';

export interface CorpusVars {
  readonly SUBJECT?: string;
  readonly N?: number;
  /** `<id>` of the message replied to. */
  readonly IN_REPLY_TO?: string;
  readonly REFERENCES?: string;
}

/** The raw bytes; placeholders replaced byte-safely (the files hold 8-bit and JIS bytes). */
export const corpusMail = (name: CorpusName, vars: CorpusVars = {}): Buffer => {
  const raw = readFileSync(join(__dirname, 'corpus', `${name}.eml`)).toString('latin1');
  const filled = raw
    .replace(/\{\{SUBJECT\}\}/g, vars.SUBJECT ?? 'Invoice 1042 shows the wrong total')
    .replace(/\{\{N\}\}/g, String(vars.N ?? 1))
    .replace(/\{\{IN_REPLY_TO\}\}/g, vars.IN_REPLY_TO ?? '<unknown@nowhere.example>')
    .replace(/\{\{REFERENCES\}\}/g, vars.REFERENCES ?? vars.IN_REPLY_TO ?? '<unknown@nowhere.example>');
  return Buffer.from(filled, 'latin1');
};
