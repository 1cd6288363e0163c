import * as Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';

/**
 * Mail that does not say its charset (zammad#2498, #4680, freescout#3124): text parts without a
 * `charset` parameter and headers with raw 8-bit or ISO-2022-JP bytes. MIME parsers then decode them as
 * UTF-8 or ASCII and people read mojibake. Before parsing, each such part gets the charset its bytes show:
 * ISO-2022-JP escape sequences -> ISO-2022-JP (the parser's decoder also takes the CP50220 extensions);
 * valid UTF-8 -> UTF-8; other 8-bit bytes -> windows-1252 (a superset of Latin-1, what such mail nearly
 * always is). Raw header bytes are rewritten as UTF-8. The stored raw message stays as it came; only the
 * parser's input is repaired. Anything this walker cannot follow is left as it was.
 */

const ISO_2022_JP_ESCAPES = /\x1b(\$@|\$B|\(J|\(B|\$\(D|\(I)/;
const MAX_DEPTH = 20;

export type DetectedCharset = 'us-ascii' | 'utf-8' | 'iso-2022-jp' | 'windows-1252';

export const detectCharset = (bytes: Buffer): DetectedCharset => {
  const latin = bytes.toString('latin1');
  if (ISO_2022_JP_ESCAPES.test(latin)) return 'iso-2022-jp';
  if (!/[\x80-\xff]/.test(latin)) return 'us-ascii';
  return isValidUtf8(bytes) ? 'utf-8' : 'windows-1252';
};

const isValidUtf8 = (bytes: Buffer): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** Header bytes as text, whatever charset they were written in. */
export const decodeHeaderBytes = (bytes: Buffer): string => {
  switch (detectCharset(bytes)) {
    case 'iso-2022-jp':
      return Encoding.convert(Array.from(bytes), { to: 'UNICODE', from: 'JIS', type: 'string' }) as string;
    case 'windows-1252':
      return iconv.decode(bytes, 'windows-1252');
    default:
      return bytes.toString('utf8');
  }
};

interface Part {
  readonly headerLines: Buffer[];
  readonly body: Buffer;
  readonly separator: Buffer;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const LF2 = Buffer.from('\n\n');

const splitPart = (raw: Buffer): Part => {
  const crlf = raw.indexOf(CRLF2);
  const lf = raw.indexOf(LF2);
  let end: number;
  let separator: Buffer;
  if (crlf !== -1 && (lf === -1 || crlf <= lf)) {
    end = crlf;
    separator = CRLF2;
  } else if (lf !== -1) {
    end = lf;
    separator = LF2;
  } else {
    return { headerLines: splitLines(raw), body: Buffer.alloc(0), separator: Buffer.alloc(0) };
  }
  return { headerLines: splitLines(raw.subarray(0, end)), body: raw.subarray(end + separator.length), separator };
};

/** Lines with their own line ending kept, so the part can be written back byte for byte. */
const splitLines = (block: Buffer): Buffer[] => {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < block.length; i++) {
    if (block[i] === 0x0a) {
      lines.push(block.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < block.length) lines.push(block.subarray(start));
  return lines;
};

/** The value of a header (unfolded), or undefined. */
const headerValue = (lines: readonly Buffer[], name: string): { value: string; index: number; count: number } | undefined => {
  const prefix = `${name.toLowerCase()}:`;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.toString('latin1');
    if (!text.toLowerCase().startsWith(prefix)) continue;
    let count = 1;
    while (i + count < lines.length && /^[ \t]/.test(lines[i + count]!.toString('latin1'))) count++;
    const value = lines
      .slice(i, i + count)
      .map((l) => l.toString('latin1'))
      .join('')
      .slice(prefix.length)
      .replace(/\r?\n/g, '')
      .trim();
    return { value, index: i, count };
  }
  return undefined;
};

const param = (value: string, name: string): string | undefined => {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
};

const decodeBody = (body: Buffer, encoding: string | undefined): Buffer => {
  switch ((encoding ?? '').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(
        body
          .toString('latin1')
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      );
    default:
      return body;
  }
};

/** Header lines with raw 8-bit or JIS bytes become UTF-8 (RFC 6532 style), which the parser reads. */
const repairHeaderLines = (lines: readonly Buffer[]): Buffer[] =>
  lines.map((line) => {
    const text = line.toString('latin1');
    if (!/[\x80-\xff\x1b]/.test(text)) return line;
    return Buffer.from(decodeHeaderBytes(line), 'utf8');
  });

const repairPart = (raw: Buffer, depth: number, defaultType: string): Buffer => {
  if (depth > MAX_DEPTH) return raw;
  const part = splitPart(raw);
  let headerLines = repairHeaderLines(part.headerLines);
  const contentType = headerValue(headerLines, 'content-type');
  const type = (contentType?.value.split(';')[0] ?? defaultType).trim().toLowerCase();

  if (type.startsWith('multipart/')) {
    const boundary = contentType ? param(contentType.value, 'boundary') : undefined;
    if (!boundary) return Buffer.concat([...headerLines, part.separator, part.body]);
    const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    return Buffer.concat([...headerLines, part.separator, repairMultipart(part.body, boundary, depth, childDefault)]);
  }

  const declared = contentType ? param(contentType.value, 'charset') : undefined;
  if (type.startsWith('text/') && !declared) {
    const encoding = headerValue(headerLines, 'content-transfer-encoding')?.value;
    const charset = detectCharset(decodeBody(part.body, encoding));
    if (charset !== 'us-ascii') headerLines = withCharset(headerLines, contentType, type, charset);
  }
  return Buffer.concat([...headerLines, part.separator, part.body]);
};

const withCharset = (lines: Buffer[], contentType: ReturnType<typeof headerValue>, type: string, charset: string): Buffer[] => {
  const eol = lines[0]?.toString('latin1').endsWith('\r\n') ? '\r\n' : '\n';
  const line = Buffer.from(`Content-Type: ${contentType ? contentType.value : type}; charset=${charset}${eol}`, 'latin1');
  if (!contentType) return lines.length === 0 ? [line] : [...lines.slice(0, -1), withEol(lines[lines.length - 1]!, eol), line];
  return [...lines.slice(0, contentType.index), line, ...lines.slice(contentType.index + contentType.count)];
};

/** The last header line may lack its line ending (it is followed by the blank line separator). */
const withEol = (line: Buffer, eol: string): Buffer => (line.toString('latin1').endsWith('\n') ? line : Buffer.concat([line, Buffer.from(eol)]));

const repairMultipart = (body: Buffer, boundary: string, depth: number, childDefault: string): Buffer => {
  const delimiter = `--${boundary}`;
  const lines = splitLines(body);
  const out: Buffer[] = [];
  let current: Buffer[] | null = null;
  const flush = () => {
    if (current === null) return;
    // The line ending before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    const joined = Buffer.concat(current);
    const trailing = joined.toString('latin1').endsWith('\r\n') ? 2 : joined.toString('latin1').endsWith('\n') ? 1 : 0;
    out.push(repairPart(joined.subarray(0, joined.length - trailing), depth + 1, childDefault), joined.subarray(joined.length - trailing));
    current = null;
  };
  for (const line of lines) {
    const text = line.toString('latin1').replace(/[ \t]*\r?\n$/, '');
    if (text === delimiter || text === `${delimiter}--`) {
      flush();
      out.push(line);
      if (text === delimiter) current = [];
      continue;
    }
    if (current === null) out.push(line);
    else current.push(line);
  }
  flush();
  return Buffer.concat(out);
};

/** The raw message with every undeclared charset declared; the input itself when nothing needed it. */
export const repairCharsets = (raw: Buffer): Buffer => {
  // Pure 7-bit mail without JIS escapes has nothing to repair: an undeclared charset is ASCII there.
  if (!/[\x80-\xff\x1b]/.test(raw.toString('latin1'))) return raw;
  try {
    return repairPart(raw, 0, 'text/plain');
  } catch {
    return raw;
  }
};
