/**
 * The subject tag `[#1042]` outbound mail carries (requests-domain §4.2). It threads a reply only as a
 * fallback, and only from a participant of that request: anyone can type a number into a subject.
 */
const TAG = /\[#(\d{1,12})\]/;

export const subjectTag = (number: number): string => `[#${number}]`;

export const taggedNumber = (subject: string): number | null => {
  const match = TAG.exec(subject);
  return match ? Number(match[1]) : null;
};

const PREFIX = /^\s*((re|aw|sv|antw|vs|r|rif|odp|fw|fwd|wg|tr|rv|enc|doorst|vl)(\[\d+\])?\s*:\s*)+/i;

/** The subject without Re:/Fwd: prefixes (in several languages) and without our tag. */
export const baseSubject = (subject: string): string => subject.replace(TAG, ' ').replace(PREFIX, '').replace(/\s+/g, ' ').trim();

/** `Re: <subject> [#1042]`, the tag added once. */
export const replySubject = (subject: string, number: number, prefix = 'Re: '): string => {
  const base = baseSubject(subject) || '(no subject)';
  return `${prefix}${base} ${subjectTag(number)}`;
};
