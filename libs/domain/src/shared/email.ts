/**
 * Email addresses as the domain compares them. Addresses are matched case-insensitively in practice
 * (RFC 5321 allows a case-sensitive local part, but no mail system people use relies on it), so one
 * normal form keeps a contact's address unique however it was typed.
 */
export const normalizeEmail = (address: string): string => address.trim().toLowerCase();

/** RFC 5321: a forward-path holds at most 256 octets including the angle brackets. */
const MAX_EMAIL_LENGTH = 254;

/**
 * A pragmatic check, not RFC 5322: one `@`, a non-empty local part, a dotted domain with no empty
 * labels, no whitespace, at most 254 characters. Good enough to catch typos; delivery is the real test.
 */
export const isEmailAddress = (address: string): boolean => {
  if (address.length === 0 || address.length > MAX_EMAIL_LENGTH) return false;
  if (/\s/.test(address)) return false;
  const parts = address.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts as [string, string];
  if (local.length === 0) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((label) => label.length > 0);
};
