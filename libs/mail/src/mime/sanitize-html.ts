import sanitize from 'sanitize-html';

/**
 * Inbound HTML as the read APIs serve it (ARCHITECTURE §9): text formatting, links, tables and images
 * only. No scripts, styles, forms, frames, event handlers or `javascript:` URLs; images only from the
 * mail itself (`cid:`) or inline data, so that opening a request loads nothing from the sender's servers
 * (no tracking pixels, no exfiltration through CSS).
 */
const OPTIONS: sanitize.IOptions = {
  allowedTags: [
    ...sanitize.defaults.allowedTags.filter((tag) => tag !== 'style'),
    'img',
    'font',
    'center',
    'u',
    's',
  ],
  allowedAttributes: {
    a: ['href', 'name', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    table: ['border', 'cellpadding', 'cellspacing', 'width'],
    font: ['color', 'face', 'size'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Links open elsewhere and tell the target nothing about us.
  transformTags: { a: sanitize.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
  exclusiveFilter: (frame) => frame.tag === 'img' && typeof frame.attribs['src'] === 'string' && /^data:/i.test(frame.attribs['src']) && !/^data:image\/(png|gif|jpe?g|webp);/i.test(frame.attribs['src']),
};

/** Null for no HTML at all, or nothing left of it. */
export const sanitizeHtml = (html: string | null | undefined): string | null => {
  if (!html) return null;
  const clean = sanitize(html, OPTIONS).trim();
  return clean.length > 0 ? clean : null;
};
