/**
 * A download's Content-Disposition. The file names come from mail and uploads, so they are never put
 * in a header as given: the plain `filename` keeps letters, digits, dot, dash, underscore and space
 * (quotes, slashes and line breaks cannot break out of it); a name that lost anything also travels
 * whole as RFC 6266 `filename*`, percent-encoded UTF-8, which browsers prefer.
 */
export const contentDisposition = (kind: 'attachment' | 'inline', filename: string): string => {
  const plain = filename.replace(/[^\w.\- ]/g, '_').slice(0, 200) || 'file';
  if (plain === filename || filename === '') return `${kind}; filename="${plain}"`;
  const encoded = encodeURIComponent(filename.slice(0, 200)).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${plain}"; filename*=UTF-8''${encoded}`;
};
